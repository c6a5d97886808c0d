/**
 * Out-of-order IPNs and the side exits of an order (partial, expired, refunded, repeated
 * deposit, unknown payment, lost creation answer), end to end: the app on a real port, the
 * fake NOWPayments sending signed IPNs. Each test looks at the order's status and at the
 * `jobs` table: a `deliver` job exists exactly when the buyer is owed the file.
 */
import { afterEach, describe, expect, setDefaultTimeout, test } from 'bun:test';
import { ADMIN_KEY, buy, startShop, type Shop } from '../support/app.ts';
import { waitFor } from '../support/course-file.ts';
import { fromSats, toSats } from '../support/sats.ts';

// Each test runs a whole shop (HTTP server, fakes, jobs): over 5 s on a busy 2-core machine.
setDefaultTimeout(20_000);

let shop: Shop;
afterEach(() => shop?.stop());

const orderEvents = (orderId: string) => shop.count('order_events', `order_id = '${orderId}'`);
const flagged = (flag: string) => shop.count('payment_events', `flag = '${flag}'`);
const paymentView = async (paymentId: string) =>
  (await (await shop.call('GET', `/api/payment/${paymentId}`)).json()) as Record<string, unknown>;

describe('IPNs out of order', () => {
  test('finished before confirming: paid with one deliver job; the late confirming changes nothing', async () => {
    shop = await startShop();
    const payment = await buy(shop);
    expect(await shop.provider.advance(payment.payment_id, 'finished')).toBe(200);
    expect(shop.orderStatus(payment.order_id)).toBe('paid');
    expect(shop.deliverJobs()).toBe(1);
    const events = orderEvents(payment.order_id);

    expect(await shop.provider.advance(payment.payment_id, 'confirming')).toBe(200);
    expect(shop.orderStatus(payment.order_id)).toBe('paid');
    expect(orderEvents(payment.order_id)).toBe(events);
    expect(shop.deliverJobs()).toBe(1);
    expect(shop.count('entitlements')).toBe(1);
    expect(shop.count('ledger_entries')).toBe(2);
    // What the buyer sees of the payment does not go back either.
    expect(await paymentView(payment.payment_id)).toMatchObject({ status: 'paid', provider_status: 'finished' });
  });
});

describe('side exits', () => {
  test('partially_paid: no delivery, exact missing amount; a seller cannot accept it, an admin can (-> paid, one deliver job)', async () => {
    shop = await startShop();
    const payment = await buy(shop);
    const actuallyPaid = '0.00051234';
    expect(toSats(actuallyPaid)).toBeLessThan(toSats(payment.pay_amount));
    expect(
      await shop.provider.advance(payment.payment_id, 'partially_paid', { actuallyPaid: Number(actuallyPaid) }),
    ).toBe(200);
    expect(shop.orderStatus(payment.order_id)).toBe('partially_paid');
    expect(shop.deliverJobs()).toBe(0);
    expect(shop.count('entitlements')).toBe(0);

    const view = await paymentView(payment.payment_id);
    expect(view).toMatchObject({
      status: 'partially_paid',
      provider_status: 'partially_paid',
      actually_paid: actuallyPaid,
    });
    expect(view.missing_amount).toBe(fromSats(toSats(payment.pay_amount) - toSats(actuallyPaid)));

    const seller = await shop.sellerKey('Another Academy');
    const refused = await shop.call('POST', `/api/admin/orders/${payment.order_id}/accept-partial`, {
      key: seller.key,
    });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('forbidden');
    expect(shop.orderStatus(payment.order_id)).toBe('partially_paid');
    expect(shop.deliverJobs()).toBe(0);

    const accepted = await shop.call('POST', `/api/admin/orders/${payment.order_id}/accept-partial`, {
      key: ADMIN_KEY,
    });
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toMatchObject({ id: payment.order_id, status: 'paid' });
    expect(shop.orderStatus(payment.order_id)).toBe('paid');
    expect(shop.deliverJobs()).toBe(1);
    expect(shop.count('entitlements')).toBe(1);
    const again = await shop.call('POST', `/api/admin/orders/${payment.order_id}/accept-partial`, { key: ADMIN_KEY });
    expect(again.status).toBe(409);
    expect(shop.deliverJobs()).toBe(1);
  });

  test('expired: no delivery; a late finished for the same payment still pays it (money arrived), one deliver job', async () => {
    shop = await startShop();
    const payment = await buy(shop);
    expect(await shop.provider.advance(payment.payment_id, 'expired')).toBe(200);
    expect(shop.orderStatus(payment.order_id)).toBe('expired');
    expect(shop.deliverJobs()).toBe(0);

    expect(await shop.provider.advance(payment.payment_id, 'finished')).toBe(200);
    expect(shop.orderStatus(payment.order_id)).toBe('paid');
    expect(shop.deliverJobs()).toBe(1);
    expect(shop.count('entitlements')).toBe(1);
  });

  test('refunded after finished: order refunded, the deliver job of `paid` stays the only one', async () => {
    shop = await startShop();
    const payment = await buy(shop);
    await shop.provider.advance(payment.payment_id, 'finished');
    expect(shop.deliverJobs()).toBe(1);

    expect(await shop.provider.advance(payment.payment_id, 'refunded')).toBe(200);
    expect(shop.orderStatus(payment.order_id)).toBe('refunded');
    expect(shop.deliverJobs()).toBe(1);
    // The refund takes the course back and reverses the sale: the ledger nets to zero.
    expect(shop.count('ledger_entries')).toBe(4);
    const net = shop.app.store.sqlite
      .query('SELECT sum(amount_cents) AS total FROM ledger_entries WHERE order_id = ?')
      .get(payment.order_id) as { total: number };
    expect(net.total).toBe(0);
    expect(shop.count('entitlements', 'revoked_at IS NULL')).toBe(0);
    // refunded is final: a later finished (another amount, so not a mere duplicate) does not bring it back.
    const more = fromSats(toSats(payment.pay_amount) + 1n);
    expect(
      await shop.provider.sendIpn(payment.payment_id, { payment_status: 'finished', actually_paid: Number(more) }),
    ).toBe(200);
    expect(shop.count('payment_events', `status = 'finished' AND amount = '${more}'`)).toBe(1);
    expect(shop.orderStatus(payment.order_id)).toBe('refunded');
    expect(shop.deliverJobs()).toBe(1);

    // Bought again after the refund: a new order, and the course is granted again.
    const again = await buy(shop);
    expect(again.order_id).not.toBe(payment.order_id);
    await shop.provider.advance(again.payment_id, 'finished');
    expect(shop.count('entitlements', 'revoked_at IS NULL')).toBe(1);
    expect(shop.deliverJobs()).toBe(2);
  });

  test('a repeated or wrong-asset deposit (parent_payment_id) is answered 200, flagged, and moves nothing', async () => {
    shop = await startShop();
    const payment = await buy(shop);
    const events = orderEvents(payment.order_id);
    // NOWPayments reports a second deposit to the same address as a child payment.
    const child = await shop.provider.sendIpn(payment.payment_id, {
      payment_id: Number(payment.payment_id) + 1000,
      parent_payment_id: Number(payment.payment_id),
      payment_status: 'finished',
      pay_currency: 'ltc',
      actually_paid: 0.5,
    });
    expect(child).toBe(200);
    // ...and the same payment id carrying a parent is no proof of payment either.
    expect(await shop.provider.advance(payment.payment_id, 'finished', { parentPaymentId: 4_000_000_001 })).toBe(200);

    expect(flagged('repeated_deposit')).toBe(2);
    expect(shop.count('payment_events', 'flag IS NULL')).toBe(0);
    expect(shop.orderStatus(payment.order_id)).toBe('awaiting_payment');
    expect(orderEvents(payment.order_id)).toBe(events);
    expect(shop.deliverJobs()).toBe(0);
    expect(shop.count('entitlements')).toBe(0);
    expect(shop.count('payments')).toBe(1);
  });

  test('a signed IPN for a payment and an order the app does not know: 200, flagged unknown_payment, no order changes', async () => {
    shop = await startShop();
    const payment = await buy(shop);
    const events = shop.count('order_events');
    const unknownOrder = await shop.provider.sendIpn(payment.payment_id, {
      payment_id: 9_100_000_001,
      order_id: 'ORD-2611-NOSUCHID',
      payment_status: 'finished',
    });
    const noOrder = await shop.provider.sendIpn(payment.payment_id, {
      payment_id: 9_100_000_002,
      order_id: null,
      payment_status: 'finished',
    });
    expect([unknownOrder, noOrder]).toEqual([200, 200]);

    expect(flagged('unknown_payment')).toBe(2);
    const stored = shop.app.store.sqlite
      .query(
        "SELECT provider_payment_id AS id, payment_id AS linked FROM payment_events WHERE flag = 'unknown_payment' ORDER BY id",
      )
      .all();
    expect(stored).toEqual([
      { id: '9100000001', linked: null },
      { id: '9100000002', linked: null },
    ]);
    expect(shop.count('order_events')).toBe(events);
    expect(shop.count('payments')).toBe(1);
    expect(shop.orderStatus(payment.order_id)).toBe('awaiting_payment');
    expect(shop.deliverJobs()).toBe(0);
  });
});

describe('payment creation whose answer was lost', () => {
  test('503 + Retry-After without a second POST; the IPN carrying our order id is adopted and pays the order', async () => {
    shop = await startShop({ nowpayments: { proxy: true }, app: { nowpaymentsHttp: { timeoutMs: 300 } } });
    shop.proxy!.hold('POST', '/v1/payment');
    const response = await shop.call('POST', '/api/payment', {
      body: { product_id: shop.productId, pay_currency: 'btc', email: 'buyer@example.com' },
    });
    expect(response.status).toBe(503);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('unavailable');

    const posts = shop.provider.requests().filter((r) => r.method === 'POST' && r.path === '/v1/payment');
    expect(posts).toHaveLength(1);
    const [created] = shop.provider.payments();
    expect(created).toBeDefined();
    const orderId = created!.order_id!;
    expect(shop.orderStatus(orderId)).toBe('awaiting_payment');
    expect(shop.count('payments')).toBe(0);
    shop.proxy!.release();

    expect(await shop.provider.advance(created!.payment_id, 'finished')).toBe(200);
    expect(shop.orderStatus(orderId)).toBe('paid');
    expect(shop.deliverJobs()).toBe(1);
    expect(shop.count('payment_events', 'flag IS NOT NULL')).toBe(0);
    const view = await paymentView(String(created!.payment_id));
    expect(view).toMatchObject({ order_id: orderId, status: 'paid', provider_status: 'finished', pay_currency: 'btc' });
    expect(shop.provider.requests().filter((r) => r.method === 'POST' && r.path === '/v1/payment')).toHaveLength(1);
  });

  test('the buyer asks again and pays both payments: the second is flagged for a refund, delivered once', async () => {
    shop = await startShop({ nowpayments: { proxy: true }, app: { nowpaymentsHttp: { timeoutMs: 300 } } });
    shop.proxy!.hold('POST', '/v1/payment');
    const lost = await shop.call('POST', '/api/payment', {
      body: { product_id: shop.productId, pay_currency: 'btc', email: 'buyer@example.com' },
    });
    expect(lost.status).toBe(503);
    shop.proxy!.release();
    const second = await buy(shop);
    const first = shop.provider.payments().find((p) => String(p.payment_id) !== second.payment_id)!;
    expect(first.order_id).toBe(second.order_id);

    expect(await shop.provider.advance(second.payment_id, 'finished')).toBe(200);
    expect(await shop.provider.advance(first.payment_id, 'finished')).toBe(200);
    expect(shop.orderStatus(second.order_id)).toBe('paid');
    expect(shop.deliverJobs()).toBe(1);
    expect(shop.count('ledger_entries')).toBe(2);
    expect(shop.count('payment_events', "flag = 'double_payment'")).toBe(1);
    const flagged = await shop.call('GET', '/api/admin/payment-events', { key: ADMIN_KEY });
    const items = ((await flagged.json()) as { items: { flag: string; order_id: string }[] }).items;
    expect(items).toEqual([expect.objectContaining({ flag: 'double_payment', order_id: second.order_id })]);
    // Money to give back: the admin is told, by e-mail, once.
    const subject = '[TechBot alert] payment event flagged: double_payment';
    await waitFor('the alert', () => shop!.smtp.messages.some((m) => m.parsed.subject === subject));
    const alerts = shop.smtp.messages.filter((m) => m.parsed.subject === subject);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.parsed.text).toContain(String(first.payment_id));
  });
});
