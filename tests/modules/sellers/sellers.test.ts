/**
 * The sellers module: a profile stored whole or not at all, a balance that is the ledger's
 * figures minus payouts, payout requests that reserve, and the operator's decisions.
 */
import { describe, expect, test } from 'bun:test';
import { AppError } from '../../../src/lib/errors.ts';
import { BTC_ADDRESS, ETH_ADDRESS, PAYOUT_MIN_CENTS, sellersFixture } from './fixture.ts';

const BTC_TX = 'a'.repeat(64);
const ETH_TX = `0x${'b'.repeat(64)}`;

function refusal(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('seller profiles', () => {
  test('onboarding stores the whole profile once, normalised; a second onboarding is refused', async () => {
    const f = sellersFixture();
    const userId = f.user().id;
    const seller = f.sellers.profiles.register(userId, {
      display_name: '  Ada   Lovelace ',
      bio: '  ',
      email: ' Ada@Example.ORG ',
      payout_network: 'ETH',
      payout_address: ETH_ADDRESS,
    });
    expect(seller).toMatchObject({
      display_name: 'Ada Lovelace',
      bio: null,
      email: 'ada@example.org',
      payout_network: 'ETH',
      payout_address: ETH_ADDRESS,
      status: 'active',
    });
    expect(f.sellers.profiles.byUser(userId)?.id).toBe(seller.id);
    const again = refusal(() =>
      f.sellers.profiles.register(userId, { display_name: 'Ada', payout_network: 'ETH', payout_address: ETH_ADDRESS }),
    );
    expect(again.code).toBe('conflict');
    expect(await f.metric('sellers_onboarded_total')).toBe(1);
  });

  test('every bad field is named at once and nothing is stored', () => {
    const f = sellersFixture();
    const userId = f.user().id;
    // One character changed in a checksummed address: a typo, caught.
    const typo = `${ETH_ADDRESS.slice(0, -1)}D`;
    const error = refusal(() =>
      f.sellers.profiles.register(userId, {
        display_name: 'A',
        bio: 'x'.repeat(501),
        email: 'not-an-email',
        payout_network: 'ETH',
        payout_address: typo,
      }),
    );
    expect(error.code).toBe('validation_failed');
    expect((error.details as { field: string }[]).map((d) => d.field)).toEqual([
      'display_name',
      'bio',
      'email',
      'payout_address',
    ]);
    expect(f.sellers.profiles.byUser(userId)).toBeUndefined();
    const name51 = refusal(() =>
      f.sellers.profiles.register(userId, {
        display_name: 'n'.repeat(51),
        payout_network: 'BTC',
        payout_address: BTC_ADDRESS,
      }),
    );
    expect(name51.details).toEqual([{ in: 'body', field: 'display_name', message: 'too long' }]);
    expect(f.sellers.profiles.byUser(userId)).toBeUndefined();
  });

  test('a profile change checks the new address against the current network, or the new one', async () => {
    const f = sellersFixture();
    const seller = f.onboard();
    await expect(f.sellers.profiles.update(seller.id, { payout_address: ETH_ADDRESS })).rejects.toMatchObject({
      code: 'validation_failed',
    });
    await expect(f.sellers.profiles.update(seller.id, { payout_network: 'ETH' })).rejects.toMatchObject({
      code: 'validation_failed',
    });
    const changed = await f.sellers.profiles.update(seller.id, {
      payout_network: 'ETH',
      payout_address: ETH_ADDRESS,
      bio: 'New bio',
    });
    expect(changed.status).toBe('applied');
    expect(changed.seller).toMatchObject({
      payout_network: 'ETH',
      payout_address: ETH_ADDRESS,
      bio: 'New bio',
      display_name: 'Sam Teaches',
    });
  });
});

describe('balance and payouts', () => {
  test('the balance is the ledger: sales credited, a refund taken back, payouts pending and paid held', () => {
    const f = sellersFixture();
    const seller = f.onboard();
    f.sell(seller.id, 5000); // seller gets 4500, fee 500
    const refunded = f.sell(seller.id, 3000); // 2700
    f.sell(seller.id, 2000); // 1800
    f.orders.transition(refunded, { to: 'refunded', actor: 'test' });
    expect(f.sellers.payouts.balance(seller.id)).toEqual({
      currency: 'USD',
      credited_cents: 9000,
      refunded_cents: 2700,
      pending_cents: 0,
      paid_out_cents: 0,
      available_cents: 6300,
      payout_min_cents: PAYOUT_MIN_CENTS,
    });
    const first = f.sellers.payouts.request(seller.id, 2500);
    expect(first).toMatchObject({ status: 'pending', amount_cents: 2500, network: 'BTC', address: BTC_ADDRESS });
    f.sellers.payouts.markPaid(first.id, BTC_TX.toUpperCase(), 'admin:1');
    const second = f.sellers.payouts.request(seller.id);
    expect(second.amount_cents).toBe(3800);
    expect(f.sellers.payouts.balance(seller.id)).toMatchObject({
      pending_cents: 3800,
      paid_out_cents: 2500,
      available_cents: 0,
    });
    // Another seller's sales are theirs.
    expect(f.sellers.payouts.balance(f.onboard('Other').id).available_cents).toBe(0);
    expect(f.sellers.payouts.history(seller.id).map((p) => [p.status, p.amount_cents, p.tx_hash])).toEqual([
      ['pending', 3800, null],
      ['paid', 2500, BTC_TX],
    ]);
  });

  test('below PAYOUT_MIN, above the balance, or without money: refused, nothing reserved', () => {
    const f = sellersFixture();
    const seller = f.onboard();
    expect(refusal(() => f.sellers.payouts.request(seller.id)).details).toMatchObject({
      reason: 'below_minimum',
      available_cents: 0,
    });
    f.sell(seller.id, 3000); // 2700
    expect(refusal(() => f.sellers.payouts.request(seller.id, 1999)).details).toMatchObject({
      reason: 'below_minimum',
      min_cents: 2000,
    });
    expect(refusal(() => f.sellers.payouts.request(seller.id, 2701)).details).toMatchObject({
      reason: 'insufficient_balance',
      available_cents: 2700,
    });
    expect(f.sellers.payouts.history(seller.id)).toEqual([]);
    expect(f.sellers.payouts.request(seller.id, 2700).amount_cents).toBe(2700);
    expect(refusal(() => f.sellers.payouts.request(seller.id, 2000)).details).toMatchObject({
      reason: 'insufficient_balance',
      available_cents: 0,
    });
  });

  test('the operator: pending queue oldest first, paid with a hash of the right network, rejected with a reason gives the amount back', async () => {
    const f = sellersFixture();
    const a = f.onboard('Alice');
    const b = f.onboard('Bob');
    await f.sellers.profiles.update(b.id, { payout_network: 'ETH', payout_address: ETH_ADDRESS });
    f.sell(a.id, 5000);
    f.sell(b.id, 5000);
    const pa = f.sellers.payouts.request(a.id, 2000);
    f.clock.advance(1000);
    const pb = f.sellers.payouts.request(b.id, 4500);
    expect(f.sellers.payouts.listPending().map((p) => [p.id, p.seller_name, p.network])).toEqual([
      [pa.id, 'Alice', 'BTC'],
      [pb.id, 'Bob', 'ETH'],
    ]);
    // A Bitcoin hash is no Ethereum transaction.
    expect(refusal(() => f.sellers.payouts.markPaid(pb.id, BTC_TX, 'admin:1')).code).toBe('validation_failed');
    expect(f.sellers.payouts.markPaid(pb.id, ETH_TX, 'admin:1')).toMatchObject({ status: 'paid', tx_hash: ETH_TX });
    expect(refusal(() => f.sellers.payouts.markPaid(pb.id, ETH_TX, 'admin:1')).details).toMatchObject({
      reason: 'not_pending',
      status: 'paid',
    });
    expect(refusal(() => f.sellers.payouts.reject(pa.id, '  ', 'admin:1')).code).toBe('validation_failed');
    expect(f.sellers.payouts.reject(pa.id, 'Address flagged by the exchange', 'admin:1')).toMatchObject({
      status: 'rejected',
      reason: 'Address flagged by the exchange',
    });
    expect(f.sellers.payouts.balance(a.id).available_cents).toBe(4500);
    expect(f.sellers.payouts.listPending()).toEqual([]);
    expect(refusal(() => f.sellers.payouts.reject(999, 'x', 'admin:1')).code).toBe('not_found');
    expect(await f.metric('payouts_requested_total')).toBe(2);
    expect(await f.metric('payouts_requested_amount_cents_total')).toBe(6500);
    expect(await f.metric('courses_published_total')).toBe(2);
  });

  test('a suspended seller cannot request a payout', () => {
    const f = sellersFixture();
    const seller = f.onboard();
    f.sell(seller.id, 5000);
    f.store.sqlite.run("UPDATE sellers SET status = 'suspended' WHERE id = ?", [seller.id]);
    expect(refusal(() => f.sellers.payouts.request(seller.id)).code).toBe('forbidden');
  });
});
