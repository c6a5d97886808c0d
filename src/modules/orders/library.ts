import { and, desc, eq, sql } from 'drizzle-orm';
import { normalizeProductId } from '../../lib/ids.ts';
import type { Db } from '../../store/database.ts';
import { entitlements } from '../../store/schema/index.ts';
import type { Catalog } from '../catalog/service.ts';

/** A course in a buyer's library (orders.purchases). */
export interface Purchase {
  productId: string;
  title: string;
  orderId: string;
  /** Epoch milliseconds the entitlement was granted. */
  purchasedAt: number;
  /** The product's file; null while the seller has not uploaded one. */
  fileId: string | null;
  ratingAverage: number;
  ratingCount: number;
}

/** A buyer's library: what they own (entitlements), shown with the catalog's cards. */
export function createLibrary(db: Db, catalog: Pick<Catalog, 'libraryCards'>) {
  /**
   * The buyer's library: live (not revoked) entitlements with their product, newest first.
   * `productId` narrows it to one purchase (empty when the buyer does not own that course).
   */
  function purchases(
    buyerId: number,
    options: { productId?: string; limit?: number; offset?: number } = {},
  ): Purchase[] {
    const owned = db
      .select({ productId: entitlements.productId, orderId: entitlements.orderId, purchasedAt: entitlements.createdAt })
      .from(entitlements)
      .where(
        and(
          eq(entitlements.userId, buyerId),
          sql`${entitlements.revokedAt} IS NULL`,
          options.productId ? eq(entitlements.productId, normalizeProductId(options.productId)) : undefined,
        ),
      )
      .orderBy(desc(entitlements.createdAt), desc(entitlements.id))
      .limit(options.limit ?? 50)
      .offset(options.offset ?? 0)
      .all();
    if (owned.length === 0) return [];
    const cards = catalog.libraryCards(owned.map((p) => p.productId));
    return owned.flatMap((purchase) => {
      const card = cards.get(purchase.productId);
      if (!card) return []; // never: an entitlement's product exists (foreign key)
      const { id: _id, ...shown } = card;
      return [{ ...purchase, ...shown }];
    });
  }

  return { purchases };
}
