import { eq } from 'drizzle-orm';
import type { Clock } from '../../lib/clock.ts';
import { notFound } from '../../lib/errors.ts';
import type { Db } from '../../store/database.ts';
import { users } from '../../store/schema/index.ts';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** Bans (the operator's moderation, users module side). */
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

  return { setBan };
}

export type UserModeration = ReturnType<typeof createUserModeration>;
