import type { Network } from '../../lib/crypto-address.ts';
import { notFound } from '../../lib/errors.ts';
import type { SellerRow } from '../users/seller-accounts.ts';
import type { Users } from '../users/service.ts';
import type { SellerMetrics } from './metrics.ts';
import type { SellerPatchInput, SellerProfileInput, SellerView } from './model.ts';
import { checkProfile, isNetwork } from './profile.ts';

export type { SellerRow };

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

/** Where seller accounts are stored: the users module owns the `sellers` table. */
export type SellerAccounts = Pick<
  Users,
  'sellerAccount' | 'sellerAccountOfUser' | 'openSellerAccount' | 'updateSellerAccount'
>;

export interface SellerProfilesDeps {
  users: SellerAccounts;
  metrics: SellerMetrics;
}

/** Seller profiles: who sells, under what name, and where they are paid. */
export function createSellerProfiles({ users, metrics }: SellerProfilesDeps) {
  function get(id: number): SellerRow {
    const row = users.sellerAccount(id);
    if (!row) throw notFound(`seller ${id}`);
    return row;
  }

  /**
   * Makes a Telegram user a seller with a complete profile, in one transaction: either the
   * whole profile is stored or nothing is. A user is one seller at most.
   */
  function register(userId: number, input: SellerProfileInput): SellerView {
    const { value } = checkProfile(input);
    const row = users.openSellerAccount(userId, {
      displayName: value.displayName!,
      bio: value.bio ?? null,
      email: value.email ?? null,
      payoutNetwork: value.payoutNetwork!,
      payoutAddress: value.payoutAddress!,
    });
    metrics.onboarded.inc();
    return toSellerView(row);
  }

  /** Changes the fields given; an address is checked against its network (the new one or the current one). */
  function update(id: number, patch: SellerPatchInput): SellerView {
    const current = get(id);
    const network =
      current.payoutNetwork && isNetwork(current.payoutNetwork) ? (current.payoutNetwork as Network) : null;
    const { value } = checkProfile(patch, { network });
    const row = users.updateSellerAccount(id, value);
    if (!row) throw notFound(`seller ${id}`);
    return toSellerView(row);
  }

  return { get, byUser: users.sellerAccountOfUser, register, update, view: (id: number) => toSellerView(get(id)) };
}

export type SellerProfiles = ReturnType<typeof createSellerProfiles>;
