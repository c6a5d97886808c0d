/**
 * Lost IPNs: the `reconcile-payments` job asks NOWPayments about orders that heard nothing for
 * 10 minutes, and `expire-orders` closes unpaid orders after their 60-minute window. Time is a
 * fake clock shared by the app and the fake provider; the app's background worker is stopped
 * so that jobs run only when the test calls `queue.runDue()`.
 */
import { afterEach, describe, expect, test } from 'bun:test';
import { fakeClock, buy, startShop, type Shop } from '../support/app.ts';

const MINUTE = 60_000;

let shop: Shop;
afterEach(() => shop?.stop());

/** A shop on a fake clock whose queue only runs when the test says so. */
async function quietShop() {
  const clock = fakeClock();
  shop = await startShop({ clock });
  await shop.app.queue.stop();
  return clock;
}

const polls = (paymentId: string) =>
  shop.provider.requests().filter((r) => r.method === 'GET' && r.path === `/v1/payment/${paymentId}`).length;

describe('reconcile-payments', () => {
  test('finished at the provider but the IPN never came: polled after 10 quiet minutes -> paid, one deliver job', async () => {
    const clock = await quietShop();
    const payment = await buy(shop);
    expect(await shop.provider.advance(payment.payment_id, 'finished', { send: false })).toBeNull();
    expect(shop.provider.ipns()).toHaveLength(0);

    clock.advance(11 * MINUTE);
    await shop.app.queue.runDue();
    // Only reconcile's own outcome counts here: the deliver job it queued runs too, and ends
    // because the shop's product has no file.
    const reconcileErrors = shop.app.store.sqlite
      .query(
        "SELECT count(*) AS n FROM jobs WHERE kind = 'reconcile-payments' AND (status = 'dead' OR last_error IS NOT NULL)",
      )
      .get() as { n: number };
    expect(reconcileErrors.n).toBe(0);
    expect(polls(payment.payment_id)).toBe(1);
    expect(shop.orderStatus(payment.order_id)).toBe('paid');
    expect(shop.deliverJobs()).toBe(1);
    expect(shop.count('entitlements')).toBe(1);
    const event = shop.app.store.sqlite
      .query("SELECT actor FROM order_events WHERE order_id = ? AND to_status = 'paid'")
      .get(payment.order_id) as { actor: string };
    expect(event.actor).toBe('reconcile');

    // Settled: the next slots do not ask again, nor deliver twice.
    clock.advance(11 * MINUTE);
    await shop.app.queue.runDue();
    expect(polls(payment.payment_id)).toBe(1);
    expect(shop.deliverJobs()).toBe(1);
  });

  test('an order updated less than 10 minutes ago is not polled', async () => {
    const clock = await quietShop();
    const payment = await buy(shop);
    await shop.provider.advance(payment.payment_id, 'finished', { send: false });

    clock.advance(9 * MINUTE);
    await shop.app.queue.runDue();
    expect(polls(payment.payment_id)).toBe(0);
    expect(shop.orderStatus(payment.order_id)).toBe('awaiting_payment');
    expect(shop.deliverJobs()).toBe(0);

    clock.advance(2 * MINUTE);
    await shop.app.queue.runDue();
    expect(polls(payment.payment_id)).toBe(1);
    expect(shop.orderStatus(payment.order_id)).toBe('paid');
    expect(shop.deliverJobs()).toBe(1);
  });
});

describe('expire-orders', () => {
  test('an unpaid order past its 60-minute window expires; if the provider had finished it, reconcile still pays it', async () => {
    const clock = await quietShop();
    const payment = await buy(shop);

    clock.advance(59 * MINUTE);
    await shop.app.queue.runDue();
    expect(shop.orderStatus(payment.order_id)).toBe('awaiting_payment');

    clock.advance(2 * MINUTE);
    await shop.app.queue.runDue();
    expect(shop.orderStatus(payment.order_id)).toBe('expired');
    expect(shop.deliverJobs()).toBe(0);

    // The buyer paid at the last minute and the IPN was lost.
    await shop.provider.advance(payment.payment_id, 'finished', { send: false });
    clock.advance(11 * MINUTE);
    await shop.app.queue.runDue();
    expect(shop.orderStatus(payment.order_id)).toBe('paid');
    expect(shop.deliverJobs()).toBe(1);
    const path = shop.app.store.sqlite
      .query('SELECT from_status AS "from", to_status AS "to", actor FROM order_events WHERE order_id = ? ORDER BY id')
      .all(payment.order_id);
    expect(path).toEqual([
      { from: null, to: 'awaiting_payment', actor: expect.stringMatching(/^user:/) },
      { from: 'awaiting_payment', to: 'expired', actor: 'system' },
      { from: 'expired', to: 'paid', actor: 'reconcile' },
    ]);
  });
});
