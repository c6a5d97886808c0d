import { eq, sql } from 'drizzle-orm';
import type { Clock } from '../../lib/clock.ts';
import { AppError } from '../../lib/errors.ts';
import type { Db } from '../../store/database.ts';
import { preparedOnFirstUse } from '../../store/lazy-statement.ts';
import { sellers } from '../../store/schema/index.ts';

export type SellerRow = typeof sellers.$inferSelect;

/** What a seller account holds besides its ids and dates; the sellers module checks it first. */
export type SellerFields = Partial<
  Pick<SellerRow, 'displayName' | 'bio' | 'email' | 'emailVerifiedAt' | 'payoutNetwork' | 'payoutAddress'>
>;

/**
 * The `sellers` rows, which this module owns (API keys create sellers too): the sellers module
 * keeps its rules (profile checks, payouts) and stores a profile through these. Each call runs on
 * whatever connection is current, so a caller's open transaction reads it consistently.
 */
export function createSellerAccounts({ db, clock }: { db: Db; clock: Clock }) {
  // Read on every seller screen of the bot (and /sell): prepared once.
  const byId = preparedOnFirstUse(() =>
    db
      .select()
      .from(sellers)
      .where(eq(sellers.id, sql.placeholder('id')))
      .prepare(),
  );
  const byUser = preparedOnFirstUse(() =>
    db
      .select()
      .from(sellers)
      .where(eq(sellers.userId, sql.placeholder('userId')))
      .prepare(),
  );
  const sellerAccount = (id: number): SellerRow | undefined => byId.get({ id });
  const sellerAccountOfUser = (userId: number): SellerRow | undefined => byUser.get({ userId });

  /** Makes a Telegram user a seller, in one transaction: a user is one seller at most. */
  function openSellerAccount(userId: number, fields: SellerFields & Pick<SellerRow, 'displayName'>): SellerRow {
    return db.transaction(
      (tx) => {
        if (tx.select({ id: sellers.id }).from(sellers).where(eq(sellers.userId, userId)).get()) {
          throw new AppError('conflict', 'you are already a seller', { reason: 'already_seller' });
        }
        const now = clock.now();
        return tx
          .insert(sellers)
          .values({ ...fields, userId, createdAt: now, updatedAt: now })
          .returning()
          .get();
      },
      { behavior: 'immediate' },
    );
  }

  function updateSellerAccount(id: number, fields: SellerFields): SellerRow | undefined {
    return db
      .update(sellers)
      .set({ ...fields, updatedAt: clock.now() })
      .where(eq(sellers.id, id))
      .returning()
      .get();
  }

  return { sellerAccount, sellerAccountOfUser, openSellerAccount, updateSellerAccount };
}
