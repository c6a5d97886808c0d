/**
 * The seller API (seller key): profile, balance, sales in keyset pages or CSV, payouts. The
 * figures are the sellers module's, the same the bot shows.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { ADMIN_KEY, fakeClock, startTestApp, type TestApp } from '../support/app.ts';

const ETH = '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed';
const ETH_TYPO = '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD';

let h: TestApp;
beforeAll(async () => {
  h = await startTestApp({ env: { PLATFORM_FEE_PERCENT: '10' }, clock: fakeClock() });
});
afterAll(() => h.stop());

/** Paid sales of a new product of this seller at these prices; returns their order ids, oldest first. */
async function sales(prices: number[]) {
  const product = await h.product({ seller: 'Api Seller', price_cents: prices[0]! });
  const ids: string[] = [];
  for (const [i, price] of prices.entries()) {
    h.app.store.sqlite.run('UPDATE products SET price_cents = ? WHERE id = ?', [price, product.id]);
    const buyer = h.app.users.upsertEmail(`buyer${i}-${price}@example.org`);
    const { order } = h.app.orders.create({ buyerId: buyer.id, productId: product.id, method: 'crypto' });
    h.app.orders.transition(order.id, { to: 'paid', actor: 'test' });
    ids.push(order.id);
    h.clock.advance(1000);
  }
  return { product, ids };
}

describe('seller API', () => {
  test('profile: read, change with a checked address; a typo is a 422 naming the field', async () => {
    const { key, sellerId } = await h.sellerKey('Api Seller');
    const me = await (await h.call('GET', '/api/seller/me', { key })).json();
    expect(me).toMatchObject({ id: sellerId, display_name: 'Api Seller', payout_address: null });
    const bad = await h.call('PATCH', '/api/seller/me', {
      key,
      body: { payout_network: 'ETH', payout_address: ETH_TYPO },
    });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { error: { details: unknown } }).error.details).toEqual([
      { in: 'body', field: 'payout_address', message: 'checksum does not match (a typo?)' },
    ]);
    const changed = await h.call('PATCH', '/api/seller/me', {
      key,
      body: { payout_network: 'ETH', payout_address: ETH, bio: 'Hello' },
    });
    expect(changed.status).toBe(200);
    expect(await changed.json()).toMatchObject({ payout_network: 'ETH', payout_address: ETH, bio: 'Hello' });
    // An admin key has no seller "me".
    expect((await h.call('GET', '/api/seller/me', { key: ADMIN_KEY })).status).toBe(403);
    expect((await h.call('GET', '/api/seller/me')).status).toBe(401);
  });

  test('balance, sales pages and CSV, payouts: the same figures as the module; a second request is a 409', async () => {
    const { key, sellerId } = await h.sellerKey('Api Seller');
    await h.call('PATCH', '/api/seller/me', { key, body: { payout_network: 'ETH', payout_address: ETH } });
    const { ids, product } = await sales([1000, 2000, 3000]);
    const balance = await (await h.call('GET', '/api/seller/balance', { key })).json();
    expect(balance).toEqual(h.app.sellers.payouts.balance(sellerId));
    expect(balance).toMatchObject({ credited_cents: 5400, available_cents: 5400, payout_min_cents: 2000 });

    const first = (await (await h.call('GET', '/api/seller/sales?limit=2', { key })).json()) as {
      items: { order_id: string }[];
      next_cursor: string;
    };
    expect(first.items.map((s) => s.order_id)).toEqual([ids[2]!, ids[1]!]);
    const second = (await (
      await h.call('GET', `/api/seller/sales?limit=2&cursor=${first.next_cursor}`, { key })
    ).json()) as { items: { order_id: string; seller_amount_cents: number }[]; next_cursor: null };
    expect(second.items.map((s) => s.order_id)).toEqual([ids[0]!]);
    expect(second.items[0]!.seller_amount_cents).toBe(900);
    expect(second.next_cursor).toBeNull();
    expect((await h.call('GET', '/api/seller/sales?cursor=nonsense', { key })).status).toBe(422);

    const csv = await fetch(`${h.url}/api/seller/sales`, {
      headers: { authorization: `Bearer ${key}`, accept: 'text/csv' },
    });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toStartWith(`${ids[2]},${product.id},`);
    expect(lines[1]).toContain(',30.00,3.00,27.00,USD,crypto');

    const requested = await h.call('POST', '/api/seller/payouts', { key, body: {} });
    expect(requested.status).toBe(201);
    expect(await requested.json()).toMatchObject({
      status: 'pending',
      amount_cents: 5400,
      network: 'ETH',
      address: ETH,
    });
    const again = await h.call('POST', '/api/seller/payouts', { key, body: { amount_cents: 2000 } });
    expect(again.status).toBe(409);
    const list = (await (await h.call('GET', '/api/seller/payouts', { key })).json()) as { items: unknown[] };
    expect(list.items).toHaveLength(1);
    expect(await (await h.call('GET', '/api/seller/balance', { key })).json()).toMatchObject({
      pending_cents: 5400,
      available_cents: 0,
    });
  });
});
