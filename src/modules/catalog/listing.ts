import { eq } from 'drizzle-orm';
import { AppError, notFound } from '../../lib/errors.ts';
import { normalizeProductId, PRODUCT_ID_PATTERN } from '../../lib/ids.ts';
import type { Db } from '../../store/database.ts';
import { categories } from '../../store/schema/index.ts';
import type { ListProductsInput, ProductPageView } from './model.ts';
import { createProductQueries, type CardLookups } from './queries.ts';
import { toFtsQuery } from './search.ts';

const DEFAULT_LIMIT = 20;

const validation = (field: string, message: string) =>
  new AppError('validation_failed', `invalid query: ${field}`, [{ in: 'query', field, message }]);

/**
 * The catalog's reads that need nothing but a database: the service runs them on its own
 * connection, the reader worker (reader-worker.ts) on a read-only one.
 */
export function createProductListing(db: Db, lookups: CardLookups) {
  const { findProduct, listActiveProducts } = createProductQueries(db, lookups);

  function resolveCategory(ref: string): number {
    const byId = /^\d+$/.test(ref) ? eq(categories.id, Number(ref)) : eq(categories.slug, ref.toLowerCase());
    const row = db.select({ id: categories.id }).from(categories).where(byId).get();
    if (!row) throw notFound(`category ${ref}`);
    return row.id;
  }

  /** Active products matching the filters, one keyset page at a time. */
  function listProducts(input: ListProductsInput): ProductPageView {
    const q = input.q?.trim() || undefined;
    const sort = input.sort ?? (q ? 'relevance' : 'newest');
    if (sort === 'relevance' && !q) throw validation('sort', 'relevance needs a search text in q');
    if (input.min_price !== undefined && input.max_price !== undefined && input.min_price > input.max_price) {
      throw validation('min_price', 'must not exceed max_price');
    }
    const limit = input.limit ?? DEFAULT_LIMIT;
    if (q && PRODUCT_ID_PATTERN.test(normalizeProductId(q))) {
      const product = findProduct(normalizeProductId(q));
      return { items: product?.status === 'active' ? [product] : [], next_cursor: null };
    }
    const match = q === undefined ? undefined : toFtsQuery(q);
    if (match === null) return { items: [], next_cursor: null };
    const filters = {
      categoryId: input.category === undefined ? undefined : resolveCategory(input.category),
      sellerId: input.seller,
      minPrice: input.min_price,
      maxPrice: input.max_price,
      match,
    };
    return listActiveProducts(filters, sort, limit, input.cursor);
  }

  return { findProduct, resolveCategory, listProducts };
}
