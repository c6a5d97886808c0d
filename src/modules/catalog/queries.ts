import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../store/database.ts';
import { categories, files, products, sellers } from '../../store/schema/index.ts';
import { decodeCursor, encodeCursor, type CursorKey } from './cursor.ts';
import type { ProductPageView, ProductView, Sort } from './model.ts';

/** Columns a product card needs, joined with its category, seller and file. */
const productColumns = {
  id: products.id,
  title: products.title,
  description: products.description,
  priceCents: products.priceCents,
  currency: products.currency,
  starsPrice: products.starsPrice,
  status: products.status,
  salesCount: products.salesCount,
  ratingAvg: products.ratingAvg,
  ratingCount: products.ratingCount,
  createdAt: products.createdAt,
  updatedAt: products.updatedAt,
  categoryId: categories.id,
  categorySlug: categories.slug,
  categoryName: categories.nameEn,
  categoryEmoji: categories.emoji,
  sellerId: sellers.id,
  sellerName: sellers.displayName,
  fileType: files.mimeType,
  fileSize: files.sizeBytes,
  fileName: files.originalName,
};

type ProductRow = ReturnType<ReturnType<typeof selectProducts>['all']>[number];

export function toProductView(row: ProductRow): ProductView {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    price_cents: row.priceCents,
    currency: row.currency,
    stars_price: row.starsPrice,
    status: row.status,
    category: { id: row.categoryId, slug: row.categorySlug, name: row.categoryName, emoji: row.categoryEmoji },
    seller: { id: row.sellerId, display_name: row.sellerName },
    rating: { average: Math.round(row.ratingAvg * 100) / 100, count: row.ratingCount },
    sales_count: row.salesCount,
    file:
      row.fileType !== null && row.fileSize !== null && row.fileName !== null
        ? { type: row.fileType, size_bytes: row.fileSize, name: row.fileName }
        : null,
    created_at: new Date(row.createdAt).toISOString(),
    updated_at: new Date(row.updatedAt).toISOString(),
  };
}

/** Product rows; `rank` is the search rank when the query joins products_fts, else 0. */
const selectProducts = (db: Db, rank: SQL<number> = sql<number>`0`) =>
  db
    .select({ ...productColumns, rank: rank.mapWith(Number) })
    .from(products)
    .innerJoin(categories, eq(categories.id, products.categoryId))
    .innerJoin(sellers, eq(sellers.id, products.sellerId))
    .leftJoin(files, eq(files.id, products.fileId));

export function findProduct(db: Db, id: string): ProductView | undefined {
  const row = selectProducts(db).where(eq(products.id, id)).get();
  return row ? toProductView(row) : undefined;
}

/** Sort key column and direction of each order; ties are broken by id in the same direction. */
const ORDERS: Record<Exclude<Sort, 'relevance'>, { key: SQL; desc: boolean; read: (r: ProductRow) => CursorKey }> = {
  newest: { key: sql`${products.createdAt}`, desc: true, read: (r) => r.createdAt },
  bestsellers: { key: sql`${products.salesCount}`, desc: true, read: (r) => r.salesCount },
  price_asc: { key: sql`${products.priceCents}`, desc: false, read: (r) => r.priceCents },
  price_desc: { key: sql`${products.priceCents}`, desc: true, read: (r) => r.priceCents },
  rating: { key: sql`${products.ratingAvg}`, desc: true, read: (r) => r.ratingAvg },
};

export interface ListFilters {
  categoryId?: number;
  sellerId?: number;
  minPrice?: number;
  maxPrice?: number;
  /** A sanitised FTS5 query (see search.ts). */
  match?: string;
}

/**
 * One page of active products in keyset order: `(key, id) < (last key, last id)` for a
 * descending order, so a deep page costs the same as the first and rows inserted meanwhile
 * neither repeat nor vanish. Relevance pages key on the bm25 rank of the search.
 */
export function listActiveProducts(
  db: Db,
  filters: ListFilters,
  sort: Sort,
  limit: number,
  cursor: string | undefined,
): ProductPageView {
  const conditions: SQL[] = [sql`${products.status} = 'active'`];
  if (filters.categoryId !== undefined) conditions.push(sql`${products.categoryId} = ${filters.categoryId}`);
  if (filters.sellerId !== undefined) conditions.push(sql`${products.sellerId} = ${filters.sellerId}`);
  if (filters.minPrice !== undefined) conditions.push(sql`${products.priceCents} >= ${filters.minPrice}`);
  if (filters.maxPrice !== undefined) conditions.push(sql`${products.priceCents} <= ${filters.maxPrice}`);

  const rank = sql<number>`bm25(products_fts, 10.0, 1.0)`;
  const order =
    sort === 'relevance' ? { key: rank, desc: false, read: (r: ProductRow) => r.rank } : ORDERS[sort];
  if (filters.match !== undefined) conditions.push(sql`products_fts MATCH ${filters.match}`);
  if (cursor !== undefined) {
    const after = decodeCursor(cursor, sort);
    conditions.push(
      order.desc ? sql`(${order.key}, ${products.id}) < (${after.key}, ${after.id})` : sql`(${order.key}, ${products.id}) > (${after.key}, ${after.id})`,
    );
  }
  const direction = order.desc ? sql`DESC` : sql`ASC`;
  let query = selectProducts(db, filters.match === undefined ? undefined : rank).$dynamic();
  if (filters.match !== undefined) query = query.innerJoin(sql`products_fts`, sql`products_fts.rowid = ${products}.rowid`);
  const rows = query
    .where(and(...conditions))
    .orderBy(sql`${order.key} ${direction}`, sql`${products.id} ${direction}`)
    .limit(limit + 1)
    .all();

  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const next = rows.length > limit && last ? encodeCursor(sort, order.read(last), last.id) : null;
  return { items: page.map(toProductView), next_cursor: next };
}
