import { afterEach, describe, expect, test } from 'bun:test';
import { buy, startShop, type Shop } from '../support/app.ts';

let shop: Shop;
afterEach(() => shop?.stop());

describe('crypto payment end to end', () => {
  test('order -> provider -> IPN confirming then finished -> paid, owned, balanced ledger, one delivery job', async () => {
    shop = await startShop();
    const payment = await buy(shop);
    expect(payment.status).toBe('awaiting_payment');
    expect(payment.pay_address.length).toBeGreaterThan(10);
    expect(Number(payment.pay_amount)).toBeGreaterThan(0);
    const sent = shop.provider.payment(payment.payment_id)!;
    expect(sent.order_id).toBe(payment.order_id);
    expect(sent.ipn_callback_url).toBe(`${shop.url}/api/ipn/nowpayments`);

    expect(await shop.provider.advance(payment.payment_id, 'confirming')).toBe(200);
    expect(shop.orderStatus(payment.order_id)).toBe('confirming');
    expect(shop.deliverJobs()).toBe(0);
    expect(await shop.provider.advance(payment.payment_id, 'finished')).toBe(200);
    expect(shop.orderStatus(payment.order_id)).toBe('paid');
    expect(shop.count('entitlements')).toBe(1);
    const ledger = shop.app.store.sqlite
      .query('SELECT sum(amount_cents) AS total, count(*) AS n FROM ledger_entries WHERE order_id = ?')
      .get(payment.order_id) as { total: number; n: number };
    expect(ledger).toEqual({ total: shop.priceCents, n: 2 });
    expect(shop.deliverJobs()).toBe(1);

    const view = await (await shop.call('GET', `/api/payment/${payment.payment_id}`)).json();
    expect(view).toMatchObject({ order_id: payment.order_id, status: 'paid', provider_status: 'finished' });
    const again = await shop.call('POST', '/api/payment', {
      body: { product_id: shop.productId, pay_currency: 'btc', email: 'buyer@example.com' },
    });
    expect(again.status).toBe(409);
  });

  test('the same finished IPN sent 5 times at once is applied once', async () => {
    shop = await startShop();
    const payment = await buy(shop);
    await shop.provider.advance(payment.payment_id, 'finished', { send: false });
    const statuses = await Promise.all(Array.from({ length: 5 }, () => shop.provider.sendIpn(payment.payment_id)));
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    expect(shop.orderStatus(payment.order_id)).toBe('paid');
    expect(shop.count('entitlements')).toBe(1);
    expect(shop.count('ledger_entries')).toBe(2);
    expect(shop.deliverJobs()).toBe(1);
    expect(shop.count('payment_events')).toBe(1);
  });

  test('finished IPNs of six orders arriving together: each order paid once, with its own ledger and delivery', async () => {
    shop = await startShop();
    const payments = [];
    for (let i = 0; i < 6; i++) payments.push(await buy(shop, { email: `buyer${i}@example.com` }));
    for (const p of payments) await shop.provider.advance(p.payment_id, 'finished', { send: false });
    // Twice each, all at once: a batch holds repeats of its own IPNs too.
    const statuses = await Promise.all([...payments, ...payments].map((p) => shop.provider.sendIpn(p.payment_id)));
    expect(statuses).toEqual(Array(12).fill(200));
    expect(payments.map((p) => shop.orderStatus(p.order_id))).toEqual(Array(6).fill('paid'));
    expect(shop.count('entitlements')).toBe(6);
    expect(shop.count('ledger_entries')).toBe(12);
    expect(shop.count('payment_events')).toBe(6);
    expect(shop.deliverJobs()).toBe(6);
  });

  test('an unfinished payment is handed back instead of creating a second one', async () => {
    shop = await startShop();
    const first = await buy(shop);
    const second = await buy(shop);
    expect(second.payment_id).toBe(first.payment_id);
    expect(shop.provider.payments()).toHaveLength(1);
  });
});

describe('IPN signature', () => {
  test('forged, stripped, wrong-secret and tampered IPNs get 401 and change nothing', async () => {
    shop = await startShop();
    const payment = await buy(shop);
    await shop.provider.advance(payment.payment_id, 'finished', { send: false });
    const before = { events: shop.count('payment_events'), orderEvents: shop.count('order_events') };
    expect(await shop.provider.sendIpn(payment.payment_id, {}, { signature: 'ab'.repeat(64) })).toBe(401);
    expect(await shop.provider.sendIpn(payment.payment_id, {}, { signature: null })).toBe(401);
    expect(await shop.provider.sendIpn(payment.payment_id, {}, { secret: 'wrong-secret', order: 'documented' })).toBe(
      401,
    );
    expect(
      await shop.provider.sendIpn(payment.payment_id, {}, { mutateAfterSigning: (b) => void (b.actually_paid = 99) }),
    ).toBe(401);
    expect(shop.count('payment_events')).toBe(before.events);
    expect(shop.count('order_events')).toBe(before.orderEvents);
    expect(shop.orderStatus(payment.order_id)).toBe('awaiting_payment');

    expect(await shop.provider.sendIpn(payment.payment_id, {}, { order: 'documented' })).toBe(200);
    expect(shop.orderStatus(payment.order_id)).toBe('paid');
  });

  test('without an IPN secret the endpoint answers 503 and applies nothing', async () => {
    shop = await startShop({ env: { NOWPAYMENTS_IPN_SECRET: '' } });
    const payment = await buy(shop);
    expect(await shop.provider.advance(payment.payment_id, 'finished')).toBe(503);
    expect(shop.orderStatus(payment.order_id)).toBe('awaiting_payment');
  });
});
