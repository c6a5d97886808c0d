import { eq } from 'drizzle-orm';
import type { Clock } from '../../lib/clock.ts';
import type { Network } from '../../lib/crypto-address.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import type { Db } from '../../store/database.ts';
import { sellers } from '../../store/schema/index.ts';
import type { SellerMetrics } from './metrics.ts';
import type { SellerPatchInput, SellerProfileInput, SellerView } from './model.ts';
import { checkProfile, isNetwork } from './profile.ts';

export type SellerRow = typeof sellers.$inferSelect;

export const toSellerView = (row: SellerRow): SellerView => ({
  id: row.id,
  display_name: row.displayName,
  bio: row.bio,
  email: row.email,
  payout_network: row.payoutNetwork && isNetwork(row.payoutNetwork) ? row.payoutNetwork : null,
  payout_address: row.payoutAddress,
  status: row.status,
  created_at: new Date(row.createdAt).toISOString(),
});

export interface SellerProfilesDeps {
  db: Db;
  clock: Clock;
  metrics: SellerMetrics;
}

/** Seller profiles: who sells, under what name, and where they are paid. */
export function createSellerProfiles({ db, clock, metrics }: SellerProfilesDeps) {
  function get(id: number): SellerRow {
    const row = db.select().from(sellers).where(eq(sellers.id, id)).get();
    if (!row) throw notFound(`seller ${id}`);
    return row;
  }

  const byUser = (userId: number): SellerRow | undefined => db.select().from(sellers).where(eq(sellers.userId, userId)).get();

  /**
   * Makes a Telegram user a seller with a complete profile, in one transaction: either the
   * whole profile is stored or nothing is. A user is one seller at most.
   */
  function register(userId: number, input: SellerProfileInput): SellerView {
    const { value } = checkProfile(input);
    const row = db.transaction(
      (tx) => {
        if (tx.select({ id: sellers.id }).from(sellers).where(eq(sellers.userId, userId)).get()) {
          throw new AppError('conflict', 'you are already a seller', { reason: 'already_seller' });
        }
        const now = clock.now();
        return tx
          .insert(sellers)
          .values({
            userId,
            displayName: value.displayName!,
            bio: value.bio ?? null,
            email: value.email ?? null,
            payoutNetwork: value.payoutNetwork!,
            payoutAddress: value.payoutAddress!,
            createdAt: now,
            updatedAt: now,
          })
          .returning()
          .get();
      },
      { behavior: 'immediate' },
    );
    metrics.onboarded.inc();
    return toSellerView(row);
  }

  /** Changes the fields given; an address is checked against its network (the new one or the current one). */
  function update(id: number, patch: SellerPatchInput): SellerView {
    const current = get(id);
    const network = current.payoutNetwork && isNetwork(current.payoutNetwork) ? (current.payoutNetwork as Network) : null;
    const { value } = checkProfile(patch, { network });
    const row = db
      .update(sellers)
      .set({ ...value, updatedAt: clock.now() })
      .where(eq(sellers.id, id))
      .returning()
      .get();
    return toSellerView(row!);
  }

  return { get, byUser, register, update, view: (id: number) => toSellerView(get(id)) };
}

export type SellerProfiles = ReturnType<typeof createSellerProfiles>;
