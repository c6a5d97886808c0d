import { and, eq, inArray } from 'drizzle-orm';
import type { Clock } from '../../lib/clock.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import type { Db } from '../../store/database.ts';
import { products } from '../../store/schema/index.ts';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** The reason recorded on the courses a seller's suspension hid (restoring the seller shows those only). */
export const SELLER_SUSPENDED = 'seller suspended';

export interface CatalogModerationDeps {
  db: Db;
  clock: Clock;
  /** The catalog's cache invalidation (the product's card and every list): gone from the API at once. */
  invalidate: (id?: string) => void;
}

/**
 * The operator's side of the catalog: a taken-down course has status `banned` with its reason
 * (hidden from lists, search and cards; buyers keep their copy: delivery ignores the status).
 */
export function createCatalogModeration({ db, clock, invalidate }: CatalogModerationDeps) {
  function product(id: string, tx: Tx | Db = db) {
    const row = tx.select().from(products).where(eq(products.id, id.trim().toUpperCase())).get();
    if (!row) throw notFound(`product ${id}`);
    return row;
  }

  function takeDown(id: string, reason: string, tx: Tx | Db = db) {
    const row = product(id, tx);
    if (row.status === 'banned') throw new AppError('conflict', 'this course is taken down already');
    const updated = tx
      .update(products)
      .set({ status: 'banned', statusReason: reason, updatedAt: clock.now() })
      .where(eq(products.id, row.id))
      .returning()
      .get()!;
    invalidate(row.id);
    return updated;
  }

  function restore(id: string, tx: Tx | Db = db) {
    const row = product(id, tx);
    if (row.status !== 'banned') throw new AppError('conflict', `this course is ${row.status}, not taken down`);
    const updated = tx
      .update(products)
      .set({ status: 'active', statusReason: null, updatedAt: clock.now() })
      .where(eq(products.id, row.id))
      .returning()
      .get()!;
    invalidate(row.id);
    return updated;
  }

  /** A suspended seller's courses on sale leave the catalog; restoring brings back those only. */
  function hideSeller(sellerId: number, tx: Tx | Db = db): number {
    const hidden = tx
      .update(products)
      .set({ status: 'banned', statusReason: SELLER_SUSPENDED, updatedAt: clock.now() })
      .where(and(eq(products.sellerId, sellerId), eq(products.status, 'active')))
      .returning({ id: products.id })
      .all();
    invalidate();
    for (const row of hidden) invalidate(row.id);
    return hidden.length;
  }

  function showSeller(sellerId: number, tx: Tx | Db = db): number {
    const shown = tx
      .update(products)
      .set({ status: 'active', statusReason: null, updatedAt: clock.now() })
      .where(
        and(
          eq(products.sellerId, sellerId),
          eq(products.status, 'banned'),
          inArray(products.statusReason, [SELLER_SUSPENDED]),
        ),
      )
      .returning({ id: products.id })
      .all();
    invalidate();
    for (const row of shown) invalidate(row.id);
    return shown.length;
  }

  return { product: (id: string) => product(id), takeDown, restore, hideSeller, showSeller };
}

export type CatalogModeration = ReturnType<typeof createCatalogModeration>;
