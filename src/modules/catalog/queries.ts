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

const placeholder = (name: string) => sql.placeholder(name);

/** Builds the statement of one listing shape, with placeholders for every value. */
function prepareListing(db: Db, shape: { filters: (keyof ListFilters)[]; sort: Sort; cursor: boolean }) {
  const has = (f: keyof ListFilters) => shape.filters.includes(f);
  const conditions: SQL[] = [sql`${products.status} = 'active'`];
  if (has('categoryId')) conditions.push(sql`${products.categoryId} = ${placeholder('categoryId')}`);
  if (has('sellerId')) conditions.push(sql`${products.sellerId} = ${placeholder('sellerId')}`);
  if (has('minPrice')) conditions.push(sql`${products.priceCents} >= ${placeholder('minPrice')}`);
  if (has('maxPrice')) conditions.push(sql`${products.priceCents} <= ${placeholder('maxPrice')}`);
  if (has('match')) conditions.push(sql`products_fts MATCH ${placeholder('match')}`);
  const order = orderOf(shape.sort);
  if (shape.cursor) {
    const after = sql`(${placeholder('afterKey')}, ${placeholder('afterId')})`;
    conditions.push(order.desc ? sql`(${order.key}, ${products.id}) < ${after}` : sql`(${order.key}, ${products.id}) > ${after}`);
  }
  const direction = order.desc ? sql`DESC` : sql`ASC`;
  let query = selectProducts(db, has('match') ? RANK : undefined).$dynamic();
  if (has('match')) query = query.innerJoin(sql`products_fts`, sql`products_fts.rowid = ${products}.rowid`);
  return query
    .where(and(...conditions))
    .orderBy(sql`${order.key} ${direction}`, sql`${products.id} ${direction}`)
    .limit(placeholder('limit'))
    .prepare();
}

const RANK = sql<number>`bm25(products_fts, 10.0, 1.0)`;
const orderOf = (sort: Sort) => (sort === 'relevance' ? { key: RANK, desc: false, read: (r: ProductRow) => r.rank } : ORDERS[sort]);

/**
 * Product reads. Listings come in a few dozen shapes (which filters, which sort, first or
 * later page); each shape is prepared once and reused, since building the SQL through the
 * query builder costs several times what SQLite takes to run it.
 */
export function createProductQueries(db: Db) {
  const byId = selectProducts(db).where(eq(products.id, placeholder('id'))).prepare();
  const listings = new Map<string, ReturnType<typeof prepareListing>>();

  function findProduct(id: string): ProductView | undefined {
    const row = byId.get({ id });
    return row ? toProductView(row) : undefined;
  }

  /**
   * One page of active products in keyset order: `(key, id) < (last key, last id)` for a
   * descending order, so a deep page costs the same as the first and rows inserted meanwhile
   * neither repeat nor vanish. Relevance pages key on the bm25 rank of the search.
   */
  function listActiveProducts(filters: ListFilters, sort: Sort, limit: number, cursor: string | undefined): ProductPageView {
    const present = (Object.keys(filters) as (keyof ListFilters)[]).filter((k) => filters[k] !== undefined).sort();
    const shapeKey = `${present.join(',')}|${sort}|${cursor !== undefined}`;
    let statement = listings.get(shapeKey);
    if (!statement) {
      statement = prepareListing(db, { filters: present, sort, cursor: cursor !== undefined });
      listings.set(shapeKey, statement);
    }
    const after = cursor === undefined ? undefined : decodeCursor(cursor, sort);
    const rows = statement.all({ ...filters, afterKey: after?.key, afterId: after?.id, limit: limit + 1 });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    const next = rows.length > limit && last ? encodeCursor(sort, orderOf(sort).read(last), last.id) : null;
    return { items: page.map(toProductView), next_cursor: next };
  }

  return { findProduct, listActiveProducts };
}
