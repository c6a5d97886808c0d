import { and, desc, eq, lt, or, sql } from 'drizzle-orm';
import type { Cache } from '../../lib/cache.ts';
import type { Clock } from '../../lib/clock.ts';
import { AppError, forbidden, notFound } from '../../lib/errors.ts';
import { normalizeProductId, productId } from '../../lib/ids.ts';
import type { Db } from '../../store/database.ts';
import { preparedOnFirstUse } from '../../store/lazy-statement.ts';
import { categories, products, reviews } from '../../store/schema/index.ts';
import type { Files } from '../files/service.ts';
import type { Principal } from '../users/model.ts';
import type { Users } from '../users/service.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import type {
  CreateProductInput,
  ListProductsInput,
  ProductView,
  ReviewPageView,
  UpdateProductInput,
} from './model.ts';
import { createProductListing } from './listing.ts';
import { createProductFacts } from './product-facts.ts';
import type { CatalogReader } from './reader.ts';
import { type CoverInput, createCovers } from './covers.ts';
import { createSellerCourses } from './seller-courses.ts';

export interface CatalogDeps {
  db: Db;
  /** Holds serialized JSON, so a hit is served without encoding anything. */
  cache: Cache<string>;
  clock: Clock;
  storeCurrency: string;
  /** DATA_DIR: cover photos are kept under it. */
  dataDir: string;
  /** Times a database operation (db_query_duration_seconds). */
  timed: <T>(name: string, fn: () => T) => T;
  /**
   * Reads searches and filtered product pages off the event loop (a database file has one);
   * without it (an in-memory database) they are read here, as plain listings always are.
   */
  reader?: CatalogReader;
  /** A product carries a file its seller uploaded; its card shows the file's type, size and name. */
  files: Pick<Files, 'get' | 'summaries'>;
  /** Sellers sell (when active) under their display name; reviews are signed with the buyer's name. */
  users: Pick<Users, 'seller' | 'sellerNames' | 'authorNames'>;
}

/** Lists and categories depend on every product; one product's card only on itself. */
const LISTS_TAG = 'products';
const productTag = (id: string) => `product:${id}`;
const DEFAULT_LIMIT = 20;

/**
 * A listing with no search and no filter reads `limit + 1` entries of one (status, key, id)
 * index, whatever the sort or cursor: about 50 µs, cheaper than the worker's round trip
 * (the whole process spent 457-541 µs CPU a page through it under 50 connections, 314 µs
 * here; bench/catalog.bench.ts), and too short to hold other requests back. Searches and
 * filtered listings may walk far more and stay off the event loop.
 */
const walksOneIndex = (input: ListProductsInput) =>
  !input.q?.trim() &&
  input.category === undefined &&
  input.seller === undefined &&
  input.min_price === undefined &&
  input.max_price === undefined;

export function createCatalog({ db, cache, clock, storeCurrency, dataDir, timed, reader, files, users }: CatalogDeps) {
  const { findProduct, resolveCategory, listProducts } = createProductListing(db, {
    sellerNames: users.sellerNames,
    fileSummaries: files.summaries,
  });

  // The bot's category screen runs it on every visit: prepared once, not built and prepared each time.
  const categoryRows = preparedOnFirstUse(() =>
    db
      .select({
        id: categories.id,
        slug: categories.slug,
        name: categories.nameEn,
        name_fr: categories.nameFr,
        emoji: categories.emoji,
        // Drizzle leaves columns unqualified in a one-table select, so the correlation is spelled out.
        product_count: sql<number>`(SELECT count(*) FROM products AS p WHERE p.category_id = categories.id AND p.status = 'active')`,
      })
      .from(categories)
      .orderBy(categories.position)
      .prepare(),
  );
  const listCategories = () => categoryRows.all();

  /** A product as its owner or an admin sees it (any status); others see active ones only. */
  function getProduct(id: string, viewer?: Principal): ProductView {
    const product = findProduct(normalizeProductId(id));
    const privileged =
      viewer?.role === 'admin' || (viewer?.role === 'seller' && viewer.sellerId === product?.seller.id);
    if (!product || (product.status !== 'active' && !privileged)) throw notFound(`product ${id}`);
    return product;
  }

  function listReviews(id: string, cursor: string | undefined, limit = DEFAULT_LIMIT): ReviewPageView {
    const product = getProduct(id);
    const after = cursor === undefined ? undefined : decodeCursor(cursor, 'reviews');
    const rows = db
      .select({
        id: reviews.id,
        rating: reviews.rating,
        text: reviews.text,
        createdAt: reviews.createdAt,
        userId: reviews.userId,
      })
      .from(reviews)
      .where(
        and(
          eq(reviews.productId, product.id),
          after &&
            or(
              lt(reviews.createdAt, Number(after.key)),
              and(eq(reviews.createdAt, Number(after.key)), lt(reviews.id, Number(after.id))),
            ),
        ),
      )
      .orderBy(desc(reviews.createdAt), desc(reviews.id))
      .limit(limit + 1)
      .all();
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    const authors =
      page.length > 0 ? users.authorNames([...new Set(page.map((r) => r.userId))]) : new Map<number, string>();
    return {
      items: page.map((r) => ({
        id: r.id,
        rating: r.rating,
        text: r.text,
        author: authors.get(r.userId) ?? 'Buyer',
        created_at: new Date(r.createdAt).toISOString(),
      })),
      next_cursor: rows.length > limit && last ? encodeCursor('reviews', last.createdAt, last.id) : null,
    };
  }

  function ownedProduct(principal: Principal, id: string) {
    const row = db
      .select()
      .from(products)
      .where(eq(products.id, normalizeProductId(id)))
      .get();
    // A deleted course is gone for everyone who could change it (its buyers still download it).
    if (!row || row.deletedAt !== null) throw notFound(`product ${id}`);
    if (principal.role === 'seller' && principal.sellerId !== row.sellerId) {
      throw forbidden('only the seller of this product or an admin may change it');
    }
    return row;
  }

  /** A product carries a file its own seller uploaded; an admin may attach any file. */
  function attachableFile(principal: Principal, sellerId: number, fileId: string): string {
    const file = files.get(fileId);
    if (!file) throw notFound(`file ${fileId}`);
    if (principal.role !== 'admin' && file.ownerSellerId !== sellerId) {
      throw forbidden('a product can only carry a file uploaded by its own seller');
    }
    return file.id;
  }

  function invalidate(id?: string) {
    void cache.invalidateTag(LISTS_TAG);
    if (id) void cache.invalidateTag(productTag(id));
  }

  const covers = createCovers({ db, clock, dataDir, ownedProduct, visibleProduct: (id) => getProduct(id), invalidate });

  /** `cover`: the photo a seller sent in /newcourse (its bytes and Telegram's file_id). */
  function createProduct(principal: Principal, input: CreateProductInput, cover?: CoverInput): ProductView {
    const sellerId = principal.role === 'seller' ? principal.sellerId : input.seller_id;
    if (sellerId === undefined) {
      throw new AppError('validation_failed', 'invalid body: seller_id', [
        { in: 'body', field: 'seller_id', message: 'required when an admin creates a product' },
      ]);
    }
    if (principal.role === 'seller' && input.seller_id !== undefined && input.seller_id !== sellerId) {
      throw forbidden('a seller key can only create products for its own seller');
    }
    const seller = users.seller(sellerId);
    if (!seller) throw notFound(`seller ${sellerId}`);
    if (seller.status !== 'active')
      throw new AppError(
        'forbidden',
        `this seller account is suspended (${seller.suspendedReason ?? 'no reason given'})`,
        {
          reason: 'suspended',
          suspended_reason: seller.suspendedReason,
        },
      );
    const categoryId = resolveCategory(input.category);
    const fileId = input.file_id === undefined ? null : attachableFile(principal, sellerId, input.file_id);
    const coverColumns = cover ? covers.store(cover) : {};
    const now = clock.now();
    for (let attempt = 0; ; attempt++) {
      const id = productId(now);
      try {
        db.insert(products)
          .values({
            id,
            sellerId,
            categoryId,
            title: input.title.trim(),
            description: input.description.trim(),
            priceCents: input.price_cents,
            currency: storeCurrency,
            starsPrice: input.stars_price ?? null,
            fileId,
            ...coverColumns,
            createdAt: now,
            updatedAt: now,
          })
          .run();
        invalidate();
        return getProduct(id, principal);
      } catch (error) {
        // 32^6 ids a month: a collision is rare, three in a row means something else is wrong.
        if (attempt < 2 && String(error).includes('UNIQUE constraint failed: products.id')) continue;
        throw error;
      }
    }
  }

  function updateProduct(principal: Principal, id: string, patch: UpdateProductInput): ProductView {
    const row = ownedProduct(principal, id);
    if (principal.role !== 'admin' && (patch.status === 'banned' || row.status === 'banned')) {
      throw forbidden(
        row.status === 'banned' ? 'this product was banned by an administrator' : 'only an admin may ban',
      );
    }
    db.update(products)
      .set({
        title: patch.title?.trim(),
        description: patch.description?.trim(),
        priceCents: patch.price_cents,
        categoryId: patch.category === undefined ? undefined : resolveCategory(patch.category),
        starsPrice: patch.stars_price,
        status: patch.status,
        statusReason: patch.status === undefined ? undefined : (patch.status_reason ?? null),
        fileId: patch.file_id === undefined ? undefined : attachableFile(principal, row.sellerId, patch.file_id),
        updatedAt: clock.now(),
      })
      .where(eq(products.id, row.id))
      .run();
    invalidate(row.id);
    return getProduct(row.id, principal);
  }

  /** Products are never deleted (orders refer to them): DELETE takes one off sale. */
  function deactivateProduct(principal: Principal, id: string): ProductView {
    const row = ownedProduct(principal, id);
    if (row.status === 'active') {
      db.update(products).set({ status: 'inactive', updatedAt: clock.now() }).where(eq(products.id, row.id)).run();
      invalidate(row.id);
    }
    return getProduct(row.id, principal);
  }

  const service = {
    listCategories: () => timed('catalog.categories', listCategories),
    listProducts: (input: ListProductsInput) =>
      timed(input.q ? 'catalog.search' : 'catalog.list', () => listProducts(input)),
    getProduct: (id: string, viewer?: Principal) => timed('catalog.product', () => getProduct(id, viewer)),
    listReviews: (id: string, cursor?: string, limit?: number) =>
      timed('catalog.reviews', () => listReviews(id, cursor, limit)),
    createProduct: (principal: Principal, input: CreateProductInput, cover?: CoverInput) =>
      timed('catalog.create', () => createProduct(principal, input, cover)),
    updateProduct: (principal: Principal, id: string, patch: UpdateProductInput) =>
      timed('catalog.update', () => updateProduct(principal, id, patch)),
    deactivateProduct: (principal: Principal, id: string) =>
      timed('catalog.deactivate', () => deactivateProduct(principal, id)),
  };

  const serialized = (key: string, tag: string, load: () => unknown) =>
    cache.getOrLoad(key, () => JSON.stringify(load()), { tags: [tag] });
  const productsJson = (input: ListProductsInput): string | Promise<string> =>
    reader && !walksOneIndex(input)
      ? timed(input.q ? 'catalog.search' : 'catalog.list', () => reader.products(input))
      : JSON.stringify(service.listProducts(input));

  return {
    ...service,
    ...createProductFacts(db, files),
    ...createSellerCourses({ db, clock, findProduct, ownedProduct, invalidate }),
    setCover: covers.setCover,
    coverOf: covers.coverOf,
    coverImage: covers.coverImage,
    rememberCoverFileId: covers.rememberCoverFileId,
    /** Drops the cached card of a product (when given) and every list (e.g. after its rating changed). */
    invalidateProduct: (id?: string) => invalidate(id === undefined ? undefined : normalizeProductId(id)),
    /** Cached, serialized reads for the public API: a hit is served without encoding. */
    json: {
      categories: () => serialized('categories', LISTS_TAG, service.listCategories),
      products: (input: ListProductsInput) =>
        cache.getOrLoad(`list:${JSON.stringify(input)}`, () => productsJson(input), { tags: [LISTS_TAG] }),
      product: (id: string) => {
        const key = normalizeProductId(id);
        return serialized(`product:${key}`, productTag(key), () => service.getProduct(key));
      },
      reviews: (id: string, cursor: string | undefined, limit: number | undefined) => {
        const key = normalizeProductId(id);
        return serialized(`reviews:${key}:${cursor ?? ''}:${limit ?? ''}`, productTag(key), () =>
          service.listReviews(key, cursor, limit),
        );
      },
    },
  };
}

export type Catalog = ReturnType<typeof createCatalog>;
