import { eq, sql } from 'drizzle-orm';
import { normalizeProductId } from '../../lib/ids.ts';
import type { Db, Tx } from '../../store/database.ts';
import { preparedOnFirstUse } from '../../store/lazy-statement.ts';
import { products } from '../../store/schema/index.ts';
import { inJsonList, jsonList } from '../../store/sql.ts';
import type { Files } from '../files/service.ts';

/**
 * What other modules read and write of a product, through the catalog's service: the file to
 * deliver, what an order freezes, the sales counter, the cards of a buyer's library. Each
 * statement is prepared once, on first use: two of them run in every paying transaction. A
 * statement prepared on the store's connection runs inside whatever transaction is open on it,
 * so the `tx` the callers pass says where the call belongs rather than which handle runs it.
 */
export function createProductFacts(db: Db, files: Pick<Files, 'get'>) {
  const p = sql.placeholder;
  const fileRow = preparedOnFirstUse(() =>
    db
      .select({
        id: products.id,
        title: products.title,
        sellerId: products.sellerId,
        status: products.status,
        fileId: products.fileId,
      })
      .from(products)
      .where(eq(products.id, p('id')))
      .prepare(),
  );
  const termsRow = preparedOnFirstUse(() =>
    db
      .select({
        id: products.id,
        title: products.title,
        sellerId: products.sellerId,
        status: products.status,
        priceCents: products.priceCents,
        currency: products.currency,
      })
      .from(products)
      .where(eq(products.id, p('id')))
      .prepare(),
  );
  const saleCounted = preparedOnFirstUse(() =>
    db
      .update(products)
      .set({ salesCount: sql`${products.salesCount} + 1` })
      .where(eq(products.id, p('id')))
      .prepare(),
  );
  const cardRows = preparedOnFirstUse(() =>
    db
      .select({
        id: products.id,
        title: products.title,
        fileId: products.fileId,
        ratingAverage: products.ratingAvg,
        ratingCount: products.ratingCount,
      })
      .from(products)
      .where(inJsonList(products.id))
      .prepare(),
  );

  /**
   * What delivering a product needs, whatever its status (a buyer keeps what they paid for when
   * the product is later taken off sale): its title, seller and stored file (null: none yet).
   */
  function productFile(id: string) {
    const product = fileRow.get({ id: normalizeProductId(id) });
    if (!product) return null;
    const { fileId, ...rest } = product;
    return { ...rest, file: (fileId === null ? undefined : files.get(fileId)) ?? null };
  }

  /** A product as an order takes it (title, seller, status, price), inside the order's transaction when given. */
  function productTerms(id: string, _tx?: Tx) {
    return termsRow.get({ id });
  }

  /** One more sale on the product's counter (the bestsellers order), inside the paying transaction. */
  function countSale(id: string, _tx: Tx) {
    saleCounted.run({ id });
  }

  /** What a buyer's library shows of each product, by id. */
  const libraryCards = (ids: readonly string[]) => new Map(cardRows.all(jsonList(ids)).map((row) => [row.id, row]));

  return { productFile, productTerms, countSale, libraryCards };
}
