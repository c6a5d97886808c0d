import type { Statement } from 'bun:sqlite';
import type { Db } from '../../store/database.ts';
import type { FileSummary } from '../files/service.ts';
import { decodeCursor, encodeCursor, type CursorKey } from './cursor.ts';
import type { ProductPageView, ProductView, Sort } from './model.ts';

/**
 * Columns a product card needs, joined with its category; seller and file come from their
 * modules. Written as SQL with aliases, read with bun:sqlite's own row objects: drizzle's row
 * mapping was a quarter of a page's CPU (the statements are prepared once either way).
 */
const CARD_COLUMNS = `products.id AS id, products.title AS title, products.description AS description,
  products.price_cents AS priceCents, products.currency AS currency, products.stars_price AS starsPrice,
  products.status AS status, products.sales_count AS salesCount, products.rating_avg AS ratingAvg,
  products.rating_count AS ratingCount, products.created_at AS createdAt, products.updated_at AS updatedAt,
  categories.id AS categoryId, categories.slug AS categorySlug, categories.name_en AS categoryName,
  categories.emoji AS categoryEmoji, products.seller_id AS sellerId, products.file_id AS fileId,
  products.rowid AS rowid`;
const CARDS_FROM = 'FROM products JOIN categories ON categories.id = products.category_id';

interface ProductRow {
  id: string;
  title: string;
  description: string;
  priceCents: number;
  currency: string;
  starsPrice: number | null;
  status: ProductView['status'];
  salesCount: number;
  ratingAvg: number;
  ratingCount: number;
  createdAt: number;
  updatedAt: number;
  categoryId: number;
  categorySlug: string;
  categoryName: string;
  categoryEmoji: string;
  sellerId: number;
  fileId: string | null;
  rowid: number;
  /** The search rank when a search supplies it, else 0. */
  rank: number;
}

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

/** Sort key column and direction of each order; ties are broken by id in the same direction. */
const ORDERS: Record<Exclude<Sort, 'relevance'>, { key: string; desc: boolean; read: (r: ProductRow) => CursorKey }> = {
  newest: { key: 'products.created_at', desc: true, read: (r) => r.createdAt },
  bestsellers: { key: 'products.sales_count', desc: true, read: (r) => r.salesCount },
  price_asc: { key: 'products.price_cents', desc: false, read: (r) => r.priceCents },
  price_desc: { key: 'products.price_cents', desc: true, read: (r) => r.priceCents },
  rating: { key: 'products.rating_avg', desc: true, read: (r) => r.ratingAvg },
};
const RELEVANCE = { key: 'hits.rank', desc: false, read: (r: ProductRow) => r.rank };
const orderOf = (sort: Sort) => (sort === 'relevance' ? RELEVANCE : ORDERS[sort]);

export interface ListFilters {
  categoryId?: number;
  sellerId?: number;
  minPrice?: number;
  maxPrice?: number;
  /** A sanitised FTS5 query (see search.ts). */
  match?: string;
}

/** Each filter's condition, with its placeholder of the same name. */
const FILTERS = {
  categoryId: 'products.category_id = $categoryId',
  sellerId: 'products.seller_id = $sellerId',
  minPrice: 'products.price_cents >= $minPrice',
  maxPrice: 'products.price_cents <= $maxPrice',
} as const;
type Filter = keyof typeof FILTERS;

export interface Shape {
  filters: Filter[];
  sort: Sort;
  cursor: boolean;
}

/** The WHERE and ORDER BY of a shape: active products, its filters, after the cursor's row. */
function pageClauses(shape: Shape): string {
  const conditions = ["products.status = 'active'", ...shape.filters.map((f) => FILTERS[f])];
  const { key, desc } = orderOf(shape.sort);
  if (shape.cursor) conditions.push(`(${key}, products.id) ${desc ? '<' : '>'} ($afterKey, $afterId)`);
  const direction = desc ? 'DESC' : 'ASC';
  return `WHERE ${conditions.join(' AND ')}
ORDER BY ${key} ${direction}, products.id ${direction}
LIMIT $limit`;
}

/** The statement of one listing shape (no search), with placeholders for every value. */
export function listingSql(shape: Shape & { sort: Exclude<Sort, 'relevance'> }): string {
  return `SELECT ${CARD_COLUMNS}, 0 AS rank ${CARDS_FROM}\n${pageClauses(shape)}`;
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
  return `WITH hits AS MATERIALIZED (
  SELECT rowid AS rid, ${rank} AS rank FROM products_fts WHERE products_fts MATCH $match
)
SELECT products.rowid AS rid, hits.rank AS rank
FROM products INDEXED BY products_search_idx JOIN hits ON hits.rid = products.rowid
${pageClauses(shape)}`;
}

/**
 * Product reads. Listings come in a few dozen shapes (which filters, which sort, first or
 * later page, search or not); each shape is prepared once, on first use, and reused.
 */
export function createProductQueries(db: Db, lookups: CardLookups) {
  const sqlite = db.$client;
  const statements = new Map<string, Statement>();
  /** The statement of `sql`, prepared on its first use. */
  function prepared<Row>(sql: string): Statement<Row> {
    let made = statements.get(sql);
    if (!made) statements.set(sql, (made = sqlite.prepare(sql)));
    return made as Statement<Row>;
  }
  const byIdSql = `SELECT ${CARD_COLUMNS}, 0 AS rank ${CARDS_FROM} WHERE products.id = $id`;
  const byRowidsSql = `SELECT ${CARD_COLUMNS}, 0 AS rank ${CARDS_FROM}
WHERE products.rowid IN (SELECT value FROM json_each($rowids))`;
  const shapeSql = new Map<string, string>();
  const sqlOf = (shape: Shape, make: (shape: Shape) => string) => {
    const key = `${shape.sort}:${shape.filters.join(',')}:${shape.cursor}:${make === searchPageSql}`;
    let made = shapeSql.get(key);
    if (!made) shapeSql.set(key, (made = make(shape)));
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
    const row = prepared<ProductRow>(byIdSql).get({ id });
    return row ? toViews([row])[0] : undefined;
  }

  /** The rows of a search page, in the page's order, read in one snapshot. */
  const searchRows = (shape: Shape, values: Record<string, string | number>): ProductRow[] =>
    sqlite.transaction(() => {
      const page = prepared<{ rid: number; rank: number }>(sqlOf(shape, searchPageSql)).all(values);
      const rows = prepared<ProductRow>(byRowidsSql).all({ rowids: JSON.stringify(page.map((p) => p.rid)) });
      const byRowid = new Map(rows.map((r) => [r.rowid, r]));
      return page.map((p) => ({ ...byRowid.get(p.rid)!, rank: p.rank }));
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
    else rows = prepared<ProductRow>(sqlOf(shape, (s) => listingSql({ ...s, sort }))).all(values);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    const next = rows.length > limit && last ? encodeCursor(sort, orderOf(sort).read(last), last.id) : null;
    return { items: toViews(page), next_cursor: next };
  }

  return { findProduct, listActiveProducts };
}
