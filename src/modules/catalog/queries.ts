import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../store/database.ts';
import { categories, products } from '../../store/schema/index.ts';
import type { FileSummary } from '../files/service.ts';
import { decodeCursor, encodeCursor, type CursorKey } from './cursor.ts';
import type { ProductPageView, ProductView, Sort } from './model.ts';

/** Columns a product card needs, joined with its category; seller and file come from their modules. */
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
  sellerId: products.sellerId,
  fileId: products.fileId,
};

type ProductRow = ReturnType<ReturnType<typeof selectProducts>['all']>[number];

/** What a product card needs from the users and files modules, for a page of products at once. */
export interface CardLookups {
  sellerNames(ids: readonly number[]): Map<number, string>;
  fileSummaries(ids: readonly string[]): Map<string, FileSummary>;
}

function toProductView(row: ProductRow, sellerName: string, file: FileSummary | null): ProductView {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    price_cents: row.priceCents,
    currency: row.currency,
    stars_price: row.starsPrice,
    status: row.status,
    category: { id: row.categoryId, slug: row.categorySlug, name: row.categoryName, emoji: row.categoryEmoji },
    seller: { id: row.sellerId, display_name: sellerName },
    rating: { average: Math.round(row.ratingAvg * 100) / 100, count: row.ratingCount },
    sales_count: row.salesCount,
    file,
    created_at: new Date(row.createdAt).toISOString(),
    updated_at: new Date(row.updatedAt).toISOString(),
  };
}

/** Product rows; `rank` is the search rank when the query joins products_fts, else 0. */
const selectProducts = (db: Db, rank: SQL<number> = sql<number>`0`) =>
  db
    .select({ ...productColumns, rank: rank.mapWith(Number) })
    .from(products)
    .innerJoin(categories, eq(categories.id, products.categoryId));

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
export function createProductQueries(db: Db, lookups: CardLookups) {
  const byId = selectProducts(db).where(eq(products.id, placeholder('id'))).prepare();
  const listings = new Map<string, ReturnType<typeof prepareListing>>();

  /** Cards of a page of rows: two lookups for the whole page (seller names, file summaries). */
  function toViews(rows: ProductRow[]): ProductView[] {
    if (rows.length === 0) return [];
    const names = lookups.sellerNames([...new Set(rows.map((row) => row.sellerId))]);
    const fileIds = rows.flatMap((row) => (row.fileId === null ? [] : [row.fileId]));
    const summaries = fileIds.length > 0 ? lookups.fileSummaries([...new Set(fileIds)]) : new Map<string, FileSummary>();
    return rows.map((row) =>
      toProductView(row, names.get(row.sellerId) ?? '', row.fileId === null ? null : (summaries.get(row.fileId) ?? null)),
    );
  }

  function findProduct(id: string): ProductView | undefined {
    const row = byId.get({ id });
    return row ? toViews([row])[0] : undefined;
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
    return { items: toViews(page), next_cursor: next };
  }

  return { findProduct, listActiveProducts };
}
