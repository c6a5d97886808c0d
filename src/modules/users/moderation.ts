import { eq } from 'drizzle-orm';
import type { Clock } from '../../lib/clock.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import type { Db } from '../../store/database.ts';
import { sellers, users } from '../../store/schema/index.ts';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** Bans of people and suspensions of sellers (the operator's moderation, users module side). */
export function createUserModeration({ db, clock }: { db: Db; clock: Clock }) {
  function setBan(userId: number, banned: boolean, reason: string | null, tx: Tx | Db = db) {
    const row = tx
      .update(users)
      .set({ banned, bannedReason: banned ? reason : null, updatedAt: clock.now() })
      .where(eq(users.id, userId))
      .returning()
      .get();
    if (!row) throw notFound(`user ${userId}`);
    return row;
  }

  function seller(sellerId: number, tx: Tx | Db = db) {
    const row = tx.select().from(sellers).where(eq(sellers.id, sellerId)).get();
    if (!row) throw notFound(`seller ${sellerId}`);
    return row;
  }

  function setSuspended(sellerId: number, suspended: boolean, tx: Tx | Db = db) {
    const row = seller(sellerId, tx);
    const status = suspended ? 'suspended' : 'active';
    if (row.status === status) throw new AppError('conflict', `this seller is ${status} already`);
    return tx.update(sellers).set({ status, updatedAt: clock.now() }).where(eq(sellers.id, sellerId)).returning().get()!;
  }

  return { setBan, seller: (id: number) => seller(id), setSuspended };
}

export type UserModeration = ReturnType<typeof createUserModeration>;
