import { eq, isNotNull } from 'drizzle-orm';
import type { Clock } from '../../lib/clock.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import type { Db } from '../../store/database.ts';
import { sellers } from '../../store/schema/index.ts';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/**
 * The operator's side of sellers (admin module): suspend or restore one (a suspended seller
 * cannot publish or request payouts: catalog and payouts check the status), and who the sellers
 * are (broadcasts to sellers).
 */
export function createSellerSuspension({ db, clock }: { db: Db; clock: Clock }) {
  /** `reason` is kept on the account while suspended: the seller is shown it (bot and API). */
  function setSuspended(sellerId: number, suspended: boolean, tx: Tx | Db = db, reason: string | null = null) {
    const row = tx.select().from(sellers).where(eq(sellers.id, sellerId)).get();
    if (!row) throw notFound(`seller ${sellerId}`);
    const status = suspended ? 'suspended' : 'active';
    if (row.status === status) throw new AppError('conflict', `this seller is ${status} already`);
    return tx
      .update(sellers)
      .set({ status, suspendedReason: suspended ? reason : null, updatedAt: clock.now() })
      .where(eq(sellers.id, sellerId))
      .returning()
      .get()!;
  }

  /** The people behind seller accounts. */
  const userIds = (): number[] =>
    db
      .select({ id: sellers.userId })
      .from(sellers)
      .where(isNotNull(sellers.userId))
      .all()
      .map((r) => r.id!);

  return { setSuspended, userIds };
}

export type SellerSuspension = ReturnType<typeof createSellerSuspension>;
