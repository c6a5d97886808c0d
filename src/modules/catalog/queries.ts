import type { Statement } from 'bun:sqlite';
import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
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

/** Product rows; `rank` is the search rank when a search supplies it, else 0. */
const selectProducts = (db: Db) =>
  db
    .select({ ...productColumns, rowid: sql<number>`${products}.rowid`, rank: sql<number>`0`.mapWith(Number) })
    .from(products)
    .innerJoin(categories, eq(categories.id, products.categoryId));

/** Sort key column and direction of each order; ties are broken by id in the same direction. */
const ORDERS: Record<
  Exclude<Sort, 'relevance'>,
  { key: SQLiteColumn; desc: boolean; read: (r: ProductRow) => CursorKey }
> = {
  newest: { key: products.createdAt, desc: true, read: (r) => r.createdAt },
  bestsellers: { key: products.salesCount, desc: true, read: (r) => r.salesCount },
  price_asc: { key: products.priceCents, desc: false, read: (r) => r.priceCents },
  price_desc: { key: products.priceCents, desc: true, read: (r) => r.priceCents },
  rating: { key: products.ratingAvg, desc: true, read: (r) => r.ratingAvg },
};
const RELEVANCE = { desc: false, read: (r: ProductRow) => r.rank };
const readKey = (sort: Sort) => (sort === 'relevance' ? RELEVANCE.read : ORDERS[sort].read);

export interface ListFilters {
  categoryId?: number;
  sellerId?: number;
  minPrice?: number;
  maxPrice?: number;
  /** A sanitised FTS5 query (see search.ts). */
  match?: string;
}

/** Each filter's column and comparison with its placeholder of the same name. */
const FILTERS = {
  categoryId: { column: products.categoryId, op: '=' },
  sellerId: { column: products.sellerId, op: '=' },
  minPrice: { column: products.priceCents, op: '>=' },
  maxPrice: { column: products.priceCents, op: '<=' },
} as const;
type Filter = keyof typeof FILTERS;

export interface Shape {
  filters: Filter[];
  sort: Sort;
  cursor: boolean;
}

const placeholder = (name: string) => sql.placeholder(name);

/** Builds the statement of one listing shape (no search), with placeholders for every value. */
function prepareListing(db: Db, shape: Shape & { sort: Exclude<Sort, 'relevance'> }) {
  const conditions: SQL[] = [sql`${products.status} = 'active'`];
  for (const f of shape.filters) conditions.push(sql`${FILTERS[f].column} ${sql.raw(FILTERS[f].op)} ${placeholder(f)}`);
  const { key, desc } = ORDERS[shape.sort];
  if (shape.cursor) {
    const after = sql`(${placeholder('afterKey')}, ${placeholder('afterId')})`;
    conditions.push(desc ? sql`(${key}, ${products.id}) < ${after}` : sql`(${key}, ${products.id}) > ${after}`);
  }
  const direction = desc ? sql`DESC` : sql`ASC`;
  return selectProducts(db)
    .where(and(...conditions))
    .orderBy(sql`${key} ${direction}`, sql`${products.id} ${direction}`)
    .limit(placeholder('limit'))
    .prepare();
}

/**
 * The rowids (and rank) of one page of a search. The full-text query runs exactly once, into
 * `hits` (MATERIALIZED): joined plainly, SQLite walked a products index and ran the MATCH again
 * for every product, 2-24 s for a one-letter query with a price filter on 3,000 products. Then
 * the active products are read from products_search_idx, which holds every filter and sort
 * column, and looked up in `hits`. Cost: one FTS5 query (what the postings of its at most 8
 * terms weigh, see search.ts) plus one index entry per active product, whatever the filters and
 * order (bench/catalog-search.bench.ts); the cards of the page are read afterwards, by rowid.
 */
export function searchPageSql(shape: Shape): string {
  const rank = shape.sort === 'relevance' ? 'bm25(products_fts, 10.0, 1.0)' : '0';
  const conditions = ["products.status = 'active'"];
  for (const f of shape.filters) conditions.push(`products.${FILTERS[f].column.name} ${FILTERS[f].op} $${f}`);
  const { key, desc } =
    shape.sort === 'relevance'
      ? { key: 'hits.rank', desc: RELEVANCE.desc }
      : { ...ORDERS[shape.sort], key: `products.${ORDERS[shape.sort].key.name}` };
  if (shape.cursor) conditions.push(`(${key}, products.id) ${desc ? '<' : '>'} ($afterKey, $afterId)`);
  const direction = desc ? 'DESC' : 'ASC';
  return `WITH hits AS MATERIALIZED (
  SELECT rowid AS rid, ${rank} AS rank FROM products_fts WHERE products_fts MATCH $match
)
SELECT products.rowid AS rid, hits.rank AS rank
FROM products INDEXED BY products_search_idx JOIN hits ON hits.rid = products.rowid
WHERE ${conditions.join(' AND ')}
ORDER BY ${key} ${direction}, products.id ${direction}
LIMIT $limit`;
}

/**
 * Product reads. Listings come in a few dozen shapes (which filters, which sort, first or
 * later page, search or not); each shape is prepared once and reused, since building the SQL
 * through the query builder costs several times what SQLite takes to run it.
 */
export function createProductQueries(db: Db, lookups: CardLookups) {
  const byId = selectProducts(db)
    .where(eq(products.id, placeholder('id')))
    .prepare();
  const byRowids = selectProducts(db)
    .where(sql`${products}.rowid IN (SELECT value FROM json_each(${placeholder('rowids')}))`)
    .prepare();
  const listings = new Map<string, ReturnType<typeof prepareListing>>();
  const searches = new Map<string, Statement<{ rid: number; rank: number }>>();
  const statement = <T>(cache: Map<string, T>, key: string, make: () => T) => {
    let made = cache.get(key);
    if (!made) cache.set(key, (made = make()));
    return made;
  };

  /** Cards of a page of rows: two lookups for the whole page (seller names, file summaries). */
  function toViews(rows: ProductRow[]): ProductView[] {
    if (rows.length === 0) return [];
    const names = lookups.sellerNames([...new Set(rows.map((row) => row.sellerId))]);
    const fileIds = rows.flatMap((row) => (row.fileId === null ? [] : [row.fileId]));
    const summaries =
      fileIds.length > 0 ? lookups.fileSummaries([...new Set(fileIds)]) : new Map<string, FileSummary>();
    return rows.map((row) =>
      toProductView(
        row,
        names.get(row.sellerId) ?? '',
        row.fileId === null ? null : (summaries.get(row.fileId) ?? null),
      ),
    );
  }

  function findProduct(id: string): ProductView | undefined {
    const row = byId.get({ id });
    return row ? toViews([row])[0] : undefined;
  }

  /** The rows of a search page, in the page's order, read in one snapshot. */
  const searchRows = (shape: Shape, values: Record<string, string | number>): ProductRow[] =>
    db.$client.transaction(() => {
      const page = statement(searches, JSON.stringify(shape), () => db.$client.prepare(searchPageSql(shape))).all(
        values,
      );
      const rows = new Map(byRowids.all({ rowids: JSON.stringify(page.map((p) => p.rid)) }).map((r) => [r.rowid, r]));
      return page.map((p) => ({ ...rows.get(p.rid)!, rank: p.rank }));
    })();

  /**
   * One page of active products in keyset order: `(key, id) < (last key, last id)` for a
   * descending order, so a deep page costs the same as the first and rows inserted meanwhile
   * neither repeat nor vanish. Relevance pages key on the bm25 rank of the search.
   */
  function listActiveProducts(
    filters: ListFilters,
    sort: Sort,
    limit: number,
    cursor: string | undefined,
  ): ProductPageView {
    const present = (Object.keys(FILTERS) as Filter[]).filter((f) => filters[f] !== undefined);
    const shape: Shape = { filters: present, sort, cursor: cursor !== undefined };
    const after = cursor === undefined ? undefined : decodeCursor(cursor, sort);
    const values: Record<string, string | number> = { limit: limit + 1 };
    for (const f of present) values[f] = filters[f]!;
    if (after) Object.assign(values, { afterKey: after.key, afterId: after.id });
    let rows: ProductRow[];
    if (filters.match !== undefined) rows = searchRows(shape, { ...values, match: filters.match });
    else if (sort === 'relevance') throw new Error('a relevance order needs a search');
    else rows = statement(listings, JSON.stringify(shape), () => prepareListing(db, { ...shape, sort })).all(values);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    const next = rows.length > limit && last ? encodeCursor(sort, readKey(sort)(last), last.id) : null;
    return { items: toViews(page), next_cursor: next };
  }

  return { findProduct, listActiveProducts };
}
