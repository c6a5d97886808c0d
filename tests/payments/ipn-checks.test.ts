/**
 * A correctly signed IPN is checked against the order it pays: amounts, currencies, order id
 * and the shape of the body. End to end: the app on a real port, the fake NOWPayments signing
 * whatever the test hands it. Nothing signed is ever answered 500 or lost.
 */
import { afterEach, describe, expect, test } from 'bun:test';
import { ADMIN_KEY, buy, startShop, type Shop, type StartedPayment } from '../support/app.ts';
import { fromSats, toSats } from '../support/sats.ts';

let shop: Shop;
afterEach(() => shop?.stop());

interface FlaggedEvent {
  payment_id: string;
  order_id: string | null;
  status: string;
  flag: string;
  reason: string | null;
}

const flaggedEvents = async () => {
  const response = await shop.call('GET', '/api/admin/payment-events', { key: ADMIN_KEY });
  expect(response.status).toBe(200);
  return ((await response.json()) as { items: FlaggedEvent[] }).items;
};
/** Nothing a buyer would be owed: no course, no ledger line, no delivery. */
const nothingDelivered = () => {
  expect(shop.deliverJobs()).toBe(0);
  expect(shop.count('entitlements')).toBe(0);
  expect(shop.count('ledger_entries')).toBe(0);
};
const finished = (payment: StartedPayment, overrides: Record<string, unknown> = {}) =>
  shop.provider.sendIpn(payment.payment_id, {
    payment_status: 'finished',
    actually_paid: Number(payment.pay_amount),
    ...overrides,
  });

describe('an IPN that does not match its order', () => {
  test('finished with 1e-8 BTC for a price of 0.01: 200, stored, flagged amount_mismatch, nothing paid or delivered', async () => {
    shop = await startShop();
    const payment = await buy(shop);
    expect(await finished(payment, { actually_paid: 1e-8, price_amount: 0.01 })).toBe(200);

    expect(shop.orderStatus(payment.order_id)).toBe('awaiting_payment');
    nothingDelivered();
    expect(await flaggedEvents()).toEqual([
      expect.objectContaining({
        payment_id: payment.payment_id,
        order_id: payment.order_id,
        status: 'finished',
        flag: 'amount_mismatch',
        reason: 'priced 0.01 usd, the order costs 49.00 usd',
      }),
    ]);
    // NOWPayments repeats what it did not hear acknowledged; we acknowledged, but a replay stays one event.
    expect(await finished(payment, { actually_paid: 1e-8, price_amount: 0.01 })).toBe(200);
    expect(shop.count('payment_events')).toBe(1);
  });

  test('finished for one satoshi less than asked: partially paid and flagged; an admin may accept it', async () => {
    shop = await startShop();
    const payment = await buy(shop);
    const short = fromSats(toSats(payment.pay_amount) - 1n);
    expect(await finished(payment, { actually_paid: short })).toBe(200);

    expect(shop.orderStatus(payment.order_id)).toBe('partially_paid');
    nothingDelivered();
    const [event] = await flaggedEvents();
    expect(event).toMatchObject({
      flag: 'amount_mismatch',
      reason: `received ${short} of ${payment.pay_amount} btc; missing 0.00000001`,
    });
    const view = await (await shop.call('GET', `/api/payment/${payment.payment_id}`)).json();
    expect(view).toMatchObject({ status: 'partially_paid', actually_paid: short, missing_amount: '0.00000001' });

    const accepted = await shop.call('POST', `/api/admin/orders/${payment.order_id}/accept-partial`, {
      key: ADMIN_KEY,
    });
    expect(accepted.status).toBe(200);
    expect(shop.deliverJobs()).toBe(1);
  });

  test('another price currency or another coin: flagged amount_mismatch, the order does not move', async () => {
    shop = await startShop();
    const payment = await buy(shop);
    expect(await finished(payment, { price_currency: 'eur' })).toBe(200);
    expect(await finished(payment, { pay_currency: 'ltc' })).toBe(200);
    expect(await shop.provider.sendIpn(payment.payment_id, { payment_status: 'confirming', price_amount: 490 })).toBe(
      200,
    );

    expect(shop.orderStatus(payment.order_id)).toBe('awaiting_payment');
    nothingDelivered();
    const reasons = (await flaggedEvents()).map((e) => [e.flag, e.reason]);
    expect(reasons).toEqual([
      ['amount_mismatch', 'priced 490 usd, the order costs 49.00 usd'],
      ['amount_mismatch', 'paid in ltc, the payment asked for btc'],
      ['amount_mismatch', 'priced 49 eur, the order costs 49.00 usd'],
    ]);
  });

  test("another order's id: flagged order_mismatch; neither order moves", async () => {
    shop = await startShop();
    const payment = await buy(shop);
    const other = await buy(shop, { email: 'other@example.com' });
    expect(await finished(payment, { order_id: other.order_id })).toBe(200);

    expect(shop.orderStatus(payment.order_id)).toBe('awaiting_payment');
    expect(shop.orderStatus(other.order_id)).toBe('awaiting_payment');
    nothingDelivered();
    expect(await flaggedEvents()).toEqual([
      expect.objectContaining({
        flag: 'order_mismatch',
        order_id: payment.order_id,
        reason: `names order ${other.order_id}, but payment ${payment.payment_id} is for order ${payment.order_id}`,
      }),
    ]);
  });

  test('overpaid, with amounts as strings: a match; paid and delivered once, nothing flagged', async () => {
    shop = await startShop();
    const payment = await buy(shop);
    const more = fromSats(toSats(payment.pay_amount) + 5000n);
    expect(await finished(payment, { actually_paid: more, price_amount: '49.00', price_currency: 'USD' })).toBe(200);
    expect(shop.orderStatus(payment.order_id)).toBe('paid');
    expect(shop.deliverJobs()).toBe(1);
    expect(await flaggedEvents()).toEqual([]);
  });
});

describe('a malformed signed IPN', () => {
  test('missing status, junk numbers, null or object ids, no coin: all 200, all stored and flagged, none applied', async () => {
    shop = await startShop();
    const payment = await buy(shop);
    const bodies: Record<string, unknown>[] = [
      { payment_status: undefined },
      { payment_status: 'finished', actually_paid: 'abc' },
      { payment_status: 'finished', price_amount: { value: 49 } },
      { payment_status: 'finished', actually_paid: -1 },
      { payment_status: 'finished', payment_id: null },
      { payment_status: 'finished', payment_id: {} },
      { payment_status: 'finished', payment_id: 9_200_000_001, pay_currency: undefined },
      { payment_status: 'finished', price_currency: undefined },
      { payment_status: 'teleported' },
    ];
    for (const overrides of bodies) {
      expect(
        await shop.provider.sendIpn(payment.payment_id, { actually_paid: Number(payment.pay_amount), ...overrides }),
      ).toBe(200);
    }

    expect(shop.count('payment_events')).toBe(bodies.length);
    expect(shop.count('payment_events', "flag = 'malformed' AND applied_at IS NULL")).toBe(bodies.length);
    // No payment row is made up from a null or object id.
    expect(shop.count('payments')).toBe(1);
    expect(shop.orderStatus(payment.order_id)).toBe('awaiting_payment');
    nothingDelivered();

    const listed = (await flaggedEvents()).reverse();
    expect(listed.map((e) => e.flag)).toEqual(bodies.map(() => 'malformed'));
    expect(listed.map((e) => e.reason)).toEqual([
      'payment_status is missing',
      'actually_paid is not a non-negative amount',
      'price_amount is not a non-negative amount',
      'actually_paid is not a non-negative amount',
      'payment_id is not a payment id',
      'payment_id is not a payment id',
      'pay_currency is missing',
      'a finished payment without price_currency',
      'payment_status is not a known status',
    ]);
    // Those whose id could be read stay linked to their order for the admin.
    expect(listed[1]).toMatchObject({ payment_id: payment.payment_id, order_id: payment.order_id });
    expect(listed[4]).toMatchObject({ payment_id: '', order_id: null });

    // The same malformed body again is the same event.
    expect(await shop.provider.sendIpn(payment.payment_id, { payment_status: 'finished', actually_paid: 'abc' })).toBe(
      200,
    );
    expect(shop.count('payment_events')).toBe(bodies.length);

    // None of it shadows the genuine notification.
    expect(await shop.provider.advance(payment.payment_id, 'finished')).toBe(200);
    expect(shop.orderStatus(payment.order_id)).toBe('paid');
    expect(shop.deliverJobs()).toBe(1);
  });

  test('a wrong amount does not shadow the right one with the same status and amount received', async () => {
    shop = await startShop();
    const payment = await buy(shop);
    expect(await finished(payment, { price_amount: 1 })).toBe(200);
    expect(shop.orderStatus(payment.order_id)).toBe('awaiting_payment');
    expect(await finished(payment)).toBe(200);
    expect(shop.orderStatus(payment.order_id)).toBe('paid');
    expect(shop.count('payment_events')).toBe(2);
  });

  test('after the right one is applied, a wrong amount with the same status and amount received is still flagged, not a repeat', async () => {
    shop = await startShop();
    const payment = await buy(shop);
    expect(await finished(payment)).toBe(200);
    expect(await finished(payment)).toBe(200);
    expect(shop.count('payment_events')).toBe(1);
    expect(await finished(payment, { price_amount: 1 })).toBe(200);
    expect(shop.count('payment_events')).toBe(2);
    expect(await flaggedEvents()).toEqual([
      expect.objectContaining({ payment_id: payment.payment_id, status: 'finished', flag: 'amount_mismatch' }),
    ]);
    expect(shop.orderStatus(payment.order_id)).toBe('paid');
    expect(shop.deliverJobs()).toBe(1);
  });
});
