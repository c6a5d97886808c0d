import { eq, sql } from 'drizzle-orm';
import { normalizeProductId } from '../../lib/ids.ts';
import type { Db, Tx } from '../../store/database.ts';
import { products } from '../../store/schema/index.ts';
import { inJsonList, jsonList } from '../../store/sql.ts';
import type { Files } from '../files/service.ts';

/**
 * What other modules read and write of a product, through the catalog's service: the file to
 * deliver, what an order freezes, the sales counter, the cards of a buyer's library.
 */
export function createProductFacts(db: Db, files: Pick<Files, 'get'>) {
  /**
   * What delivering a product needs, whatever its status (a buyer keeps what they paid for when
   * the product is later taken off sale): its title, seller and stored file (null: none yet).
   */
  function productFile(id: string) {
    const product = db
      .select({
        id: products.id,
        title: products.title,
        sellerId: products.sellerId,
        status: products.status,
        fileId: products.fileId,
      })
      .from(products)
      .where(eq(products.id, normalizeProductId(id)))
      .get();
    if (!product) return null;
    const { fileId, ...rest } = product;
    return { ...rest, file: (fileId === null ? undefined : files.get(fileId)) ?? null };
  }

  /** A product as an order takes it (title, seller, status, price), inside the order's transaction when given. */
  function productTerms(id: string, tx: Tx | Db = db) {
    return tx
      .select({
        id: products.id,
        title: products.title,
        sellerId: products.sellerId,
        status: products.status,
        priceCents: products.priceCents,
        currency: products.currency,
      })
      .from(products)
      .where(eq(products.id, id))
      .get();
  }

  /** One more sale on the product's counter (the bestsellers order), inside the paying transaction. */
  function countSale(id: string, tx: Tx) {
    tx.update(products)
      .set({ salesCount: sql`${products.salesCount} + 1` })
      .where(eq(products.id, id))
      .run();
  }

  const cardRows = db
    .select({
      id: products.id,
      title: products.title,
      fileId: products.fileId,
      ratingAverage: products.ratingAvg,
      ratingCount: products.ratingCount,
    })
    .from(products)
    .where(inJsonList(products.id))
    .prepare();
  /** What a buyer's library shows of each product, by id. */
  const libraryCards = (ids: readonly string[]) => new Map(cardRows.all(jsonList(ids)).map((row) => [row.id, row]));

  return { productFile, productTerms, countSale, libraryCards };
}
