import { sql } from 'drizzle-orm';
import { check, index, integer, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { timestamps } from './columns.ts';
import { files } from './files.ts';
import { sellers, users } from './users.ts';

export const categories = sqliteTable(
  'categories',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    slug: text('slug').notNull(),
    nameFr: text('name_fr').notNull(),
    nameEn: text('name_en').notNull(),
    emoji: text('emoji').notNull(),
    position: integer('position').notNull().default(0),
  },
  (table) => [uniqueIndex('categories_slug_uq').on(table.slug)],
);

export type ProductStatus = 'active' | 'inactive' | 'banned';

/**
 * A course for sale. `id` is the readable `TBF-YYMM-XXXXXX`. Counters and the rating are
 * denormalised so listings sort by them through an index (keyset pagination).
 */
export const products = sqliteTable(
  'products',
  {
    id: text('id').primaryKey(),
    sellerId: integer('seller_id')
      .notNull()
      .references(() => sellers.id),
    categoryId: integer('category_id')
      .notNull()
      .references(() => categories.id),
    title: text('title').notNull(),
    description: text('description').notNull(),
    priceCents: integer('price_cents').notNull(),
    currency: text('currency').notNull(),
    starsPrice: integer('stars_price'),
    status: text('status', { enum: ['active', 'inactive', 'banned'] })
      .notNull()
      .default('active'),
    statusReason: text('status_reason'),
    fileId: text('file_id').references(() => files.id),
    /** Telegram's file_id of the cover photo a seller sent in the bot; the card is sent as that photo. */
    coverTelegramFileId: text('cover_telegram_file_id'),
    /**
     * The cover's bytes, kept by the catalog under DATA_DIR/covers named by their SHA-256 (set
     * over HTTP or fetched once from Telegram), and their type; null without a cover.
     */
    coverSha256: text('cover_sha256'),
    coverType: text('cover_type', { enum: ['image/jpeg', 'image/png'] }),
    /**
     * Set when its seller deleted the course (a soft delete: orders, entitlements and re-downloads
     * still refer to it); it then stays `inactive` and out of the seller's own list.
     */
    deletedAt: integer('deleted_at'),
    salesCount: integer('sales_count').notNull().default(0),
    viewCount: integer('view_count').notNull().default(0),
    ratingCount: integer('rating_count').notNull().default(0),
    ratingSum: integer('rating_sum').notNull().default(0),
    ratingAvg: real('rating_avg').notNull().default(0),
    ...timestamps,
  },
  (table) => [
    index('products_newest_idx').on(table.status, table.createdAt, table.id),
    index('products_bestsellers_idx').on(table.status, table.salesCount, table.id),
    index('products_price_idx').on(table.status, table.priceCents, table.id),
    index('products_rating_idx').on(table.status, table.ratingAvg, table.id),
    index('products_category_idx').on(table.categoryId, table.status, table.createdAt),
    index('products_seller_idx').on(table.sellerId, table.createdAt),
    /**
     * Every column a search filters or sorts on, so a search reads this index instead of product
     * rows: a row holds its description inline, and the columns after it (status, price...) of a
     * 5,000-character one sit in overflow pages (~2.7 µs a row against ~0.1 µs from here).
     */
    index('products_search_idx').on(
      table.status,
      table.categoryId,
      table.sellerId,
      table.priceCents,
      table.createdAt,
      table.salesCount,
      table.ratingAvg,
      table.id,
    ),
    check('products_price_positive', sql`${table.priceCents} > 0`),
  ],
);

export const reviews = sqliteTable(
  'reviews',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    productId: text('product_id')
      .notNull()
      .references(() => products.id),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    rating: integer('rating').notNull(),
    text: text('text'),
    ...timestamps,
  },
  (table) => [
    uniqueIndex('reviews_product_user_uq').on(table.productId, table.userId),
    index('reviews_product_idx').on(table.productId, table.createdAt),
    check('reviews_rating_range', sql`${table.rating} between 1 and 5`),
  ],
);
