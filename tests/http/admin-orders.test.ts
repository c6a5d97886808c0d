/**
 * The operator's orders over HTTP: finding orders by id, product and buyer (Telegram id,
 * @username, e-mail), paid orders not delivered with why (no file, blocked bot, dead job) and
 * their delivery run again, partial payments accepted or refused with a reason, and flagged
 * payment events marked handled (gone from the open list and the stats), a Stars charge that
 * paid nothing given back (refused without the bot or for a crypto event); the pending payouts
 * total in the stats, and the payouts of a period as JSON or CSV. All audited.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { ADMIN_KEY, buy, eventually, startShop, type Shop } from '../support/app.ts';
import { attachCourseFile } from '../support/course-file.ts';

let shop: Shop;
beforeAll(async () => {
  shop = await startShop();
});
afterAll(() => shop.stop());

// biome-ignore lint/suspicious/noExplicitAny: the tests read whichever fields each admin answer has.
const asAdmin = async (method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> => {
  const response = await shop.call(method, path, { key: ADMIN_KEY, body });
  return { status: response.status, body: await response.json() };
};
const ids = (items: { id?: string; order?: { id: string } }[]) => items.map((i) => i.id ?? i.order?.id);
const lastAudit = async (action: string) => (await asAdmin('GET', `/api/admin/audit?action=${action}`)).body.items[0];

/** A Telegram buyer's order moved to paid (its deliver job runs on the app's worker). */
function paidByTelegram(telegramId: number, productId: string, username?: string) {
  const buyer = shop.app.users.upsertTelegram({ telegramId, username, languageCode: 'en' });
  const { order } = shop.app.orders.create({ buyerId: buyer.id, productId, method: 'crypto' });
  shop.app.orders.transition(order.id, { to: 'paid', actor: 'test' });
  return { buyer, orderId: order.id };
}
const jobOf = (orderId: string) => shop.app.queue.byUniqueKey(`deliver:${orderId}`);

describe('finding orders', () => {
  test('by order id (any case), product, and buyer by Telegram id, @username or e-mail', async () => {
    const emailed = await buy(shop, { email: 'Finder@Example.com' });
    const { orderId } = paidByTelegram(610_001, shop.productId, 'Finder_Bot_User');
    const search = async (query: string) => ids((await asAdmin('GET', `/api/admin/orders?${query}`)).body.items);
    expect(await search(`order_id=${orderId.toLowerCase()}`)).toEqual([orderId]);
    expect(await search('order_id=ORD-0000-NOPE')).toEqual([]);
    expect(await search('user=finder@example.com')).toEqual([emailed.order_id]);
    expect(await search('user=%40finder_bot_user')).toEqual([orderId]);
    expect(await search('user=610001')).toEqual([orderId]);
    expect(await search('user=nobody%40example.com')).toEqual([]);
    expect(await search(`product_id=${shop.productId}&limit=100`)).toEqual(
      expect.arrayContaining([orderId, emailed.order_id]),
    );
    const bad = await asAdmin('GET', '/api/admin/orders?user=%25%25');
    expect(bad.status).toBe(422);
    expect(bad.body.error.details).toEqual([expect.objectContaining({ field: 'user' })]);
  });
});

describe('paid but not delivered', () => {
  test('why: no file, then (file added) the dead job; run again, delivered; blocked buyers say so; audited', async () => {
    const course = await shop.product({ title: 'Late file' });
    const { orderId } = paidByTelegram(610_002, course.id);
    const blocked = paidByTelegram(610_003, course.id);
    shop.app.users.setBlockedBot(blocked.buyer.id, true);
    await eventually(() => jobOf(orderId)?.status === 'dead' && jobOf(blocked.orderId)?.status === 'dead', 'dead');
    const listed = async () => (await asAdmin('GET', '/api/admin/orders/undelivered')).body.items;
    const entry = async (id: string) => (await listed()).find((i: { order: { id: string } }) => i.order.id === id);
    expect(await entry(orderId)).toMatchObject({ title: 'Late file', why: 'no_file', job_id: jobOf(orderId)!.id });
    expect((await entry(blocked.orderId)).why).toBe('no_file');

    await attachCourseFile(shop.dataDir, shop.app.store.sqlite, course.id);
    expect(await entry(orderId)).toMatchObject({
      why: 'dead_job',
      last_error: 'PermanentJobError: product has no file yet',
    });
    expect((await entry(blocked.orderId)).why).toBe('blocked_bot');

    const again = await asAdmin('POST', `/api/admin/orders/${orderId}/redeliver`);
    expect(again).toMatchObject({ status: 200, body: { order: { id: orderId }, job_id: jobOf(orderId)!.id } });
    await eventually(() => shop.orderStatus(orderId) === 'delivered', 'delivered');
    expect(await entry(orderId)).toBeUndefined();
    expect((await asAdmin('POST', `/api/admin/orders/${orderId}/redeliver`)).status).toBe(409);
    expect(await lastAudit('redeliver')).toMatchObject({
      actor: 'key:env',
      target: `order:${orderId}`,
      details: { retried: true },
    });
  });

  test('a paid order with no delivery job left (discarded) gets a new one', async () => {
    const course = await shop.product({ title: 'Discarded delivery' });
    const { orderId } = paidByTelegram(610_004, course.id);
    await eventually(() => jobOf(orderId)?.status === 'dead', 'dead');
    expect((await asAdmin('POST', `/api/admin/jobs/${jobOf(orderId)!.id}/discard`)).status).toBe(200);
    await attachCourseFile(shop.dataDir, shop.app.store.sqlite, course.id);
    const found = (await asAdmin('GET', '/api/admin/orders/undelivered')).body.items.find(
      (i: { order: { id: string } }) => i.order.id === orderId,
    );
    expect(found).toMatchObject({ why: 'no_job', job_id: null });
    // Pressed twice at once (two admins, a retried request): one delivery, the second is told it is queued.
    const desk = shop.app.admin.orders;
    const first = desk.redeliver('key:env', orderId);
    expect(() => desk.redeliver('key:env', orderId)).toThrow(
      `a delivery of ${orderId} is already queued (job ${first.job_id})`,
    );
    await eventually(() => shop.orderStatus(orderId) === 'delivered', 'delivered');
    expect(shop.app.queue.byUniqueKeyPrefix(`deliver:${orderId}:again:`).map((j) => j.id)).toEqual([first.job_id]);
  });
});

describe('partial payments', () => {
  async function partial(email: string) {
    const payment = await buy(shop, { email });
    const half = Number(shop.provider.payment(payment.payment_id)!.pay_amount) / 2;
    expect(await shop.provider.advance(payment.payment_id, 'partially_paid', { actuallyPaid: half })).toBe(200);
    return payment;
  }

  test('listed with what arrived; refused with a reason (cancelled) or accepted (paid); both audited', async () => {
    const [refused, accepted] = [await partial('half1@example.com'), await partial('half2@example.com')];
    const listed = (await asAdmin('GET', '/api/admin/orders/partially-paid')).body.items;
    const mine = listed.find((i: { order: { id: string } }) => i.order.id === refused.order_id);
    expect(mine).toMatchObject({
      title: 'Bitcoin from zero',
      received: { currency: 'BTC', asked: refused.pay_amount },
    });
    expect(Number(mine.received.paid) + Number(mine.received.missing)).toBeCloseTo(Number(refused.pay_amount), 8);

    const noReason = await asAdmin('POST', `/api/admin/orders/${refused.order_id}/refuse-partial`, {});
    expect(noReason.status).toBe(422);
    const done = await asAdmin('POST', `/api/admin/orders/${refused.order_id}/refuse-partial`, {
      reason: 'underpaid by half, coins sent back',
    });
    expect(done).toMatchObject({ status: 200, body: { id: refused.order_id, status: 'cancelled' } });
    expect(shop.app.orders.events(refused.order_id).at(-1)).toMatchObject({
      toStatus: 'cancelled',
      actor: 'key:env',
      reason: 'partial payment refused: underpaid by half, coins sent back',
    });
    expect(await lastAudit('refuse_partial')).toMatchObject({
      target: `order:${refused.order_id}`,
      reason: 'underpaid by half, coins sent back',
      details: { currency: 'BTC' },
    });
    // The buyer paid with an e-mail (no Telegram): told by e-mail, with the reason.
    const told = () =>
      shop.smtp.messages.find(
        (m) => m.envelope.to.includes('half1@example.com') && /partial payment refused/.test(m.parsed.subject ?? ''),
      );
    await eventually(() => told() !== undefined, 'the e-mail telling the buyer');
    expect(told()!.parsed.text).toContain('underpaid by half, coins sent back');
    const twice = await asAdmin('POST', `/api/admin/orders/${refused.order_id}/refuse-partial`, { reason: 'again' });
    expect(twice.status).toBe(409);

    expect((await asAdmin('POST', `/api/admin/orders/${accepted.order_id}/accept-partial`)).body.status).toBe('paid');
    expect(await lastAudit('accept_partial')).toMatchObject({ actor: 'key:env', target: `order:${accepted.order_id}` });
    const left = ids((await asAdmin('GET', '/api/admin/orders/partially-paid')).body.items);
    expect(left).not.toContain(refused.order_id);
    expect(left).not.toContain(accepted.order_id);
  });
});

describe('flagged payment events', () => {
  test('marked handled with a note: out of the open list and the stats figure, listed as handled; twice is 409', async () => {
    const payment = await buy(shop, { email: 'flag@example.com' });
    const before = (await asAdmin('GET', '/api/admin/stats')).body.flagged_payments;
    expect(
      await shop.provider.sendIpn(payment.payment_id, {
        payment_status: 'finished',
        actually_paid: 1e-8,
        price_amount: 0.01,
      }),
    ).toBe(200);
    const open = (await asAdmin('GET', '/api/admin/payment-events')).body.items;
    const event = open.find((e: { payment_id: string }) => e.payment_id === payment.payment_id);
    expect(event).toMatchObject({ flag: 'amount_mismatch', handled_at: null, handled_by: null });
    expect((await asAdmin('GET', '/api/admin/stats')).body.flagged_payments).toBe(before + 1);

    const handled = await asAdmin('POST', `/api/admin/payment-events/${event.id}/handled`, { note: 'test IPN' });
    expect(handled).toMatchObject({
      status: 200,
      body: { id: event.id, flag: 'amount_mismatch', handled_by: 'key:env', handled_note: 'test IPN' },
    });
    expect(ids((await asAdmin('GET', '/api/admin/payment-events')).body.items)).not.toContain(event.id);
    const done = (await asAdmin('GET', '/api/admin/payment-events?state=handled')).body.items;
    expect(done.map((e: { id: number }) => e.id)).toContain(event.id);
    expect((await asAdmin('GET', '/api/admin/stats')).body.flagged_payments).toBe(before);
    expect((await asAdmin('POST', `/api/admin/payment-events/${event.id}/handled`, {})).status).toBe(409);
    expect((await asAdmin('POST', '/api/admin/payment-events/999999/handled', {})).status).toBe(404);
    expect(await lastAudit('payment_event_handled')).toMatchObject({
      target: `payment_event:${event.id}`,
      reason: 'test IPN',
      details: { flag: 'amount_mismatch' },
    });
  });
});

describe('Stars given back', () => {
  test('only a Stars charge that paid nothing; without the bot, 503 and the event stays open; a race is audited', async () => {
    const sqlite = shop.app.store.sqlite;
    sqlite.run(
      `INSERT INTO payment_events (provider, provider_payment_id, status, dedupe_key, raw, flag, received_at)
       VALUES ('nowpayments', '5077001', 'finished', 'np-flag-5077001', '{}', 'amount_mismatch', 0)`,
    );
    const crypto = (sqlite.query('SELECT max(id) AS id FROM payment_events').get() as { id: number }).id;
    const refused = await asAdmin('POST', `/api/admin/payment-events/${crypto}/refund-stars`);
    expect(refused.status).toBe(404); // a crypto event is no Stars charge
    expect((await asAdmin('POST', '/api/admin/payment-events/999999/refund-stars')).status).toBe(404);

    const telegramBuyer = { telegramId: 610_900, languageCode: 'en' };
    const { payload } = shop.app.stars.createStarsInvoice(telegramBuyer, shop.productId);
    const stars = shop.app.orders.get(payload).starsAmount!;
    const paid = (chargeId: string) =>
      shop.app.stars.applySuccessfulPayment({
        from: { id: telegramBuyer.telegramId },
        successful_payment: {
          currency: 'XTR',
          total_amount: stars,
          invoice_payload: payload,
          telegram_payment_charge_id: chargeId,
        },
      }).outcome;
    expect([paid('stxHTTP-A'), paid('stxHTTP-B')]).toEqual(['applied', 'double_payment']);
    const events = (await asAdmin('GET', '/api/admin/payment-events')).body.items;
    const doubled = events.find((e: { payment_id: string }) => e.payment_id === 'stxHTTP-B');
    expect(doubled).toMatchObject({
      provider: 'stars',
      flag: 'double_payment',
      order_id: payload,
      refundable_stars: stars,
    });
    const cryptoListed = events.find((e: { id: number }) => e.id === crypto);
    expect(cryptoListed).toMatchObject({ provider: 'nowpayments', refundable_stars: null });

    const noBot = await asAdmin('POST', `/api/admin/payment-events/${doubled.id}/refund-stars`);
    expect(noBot).toMatchObject({ status: 503, body: { error: { code: 'unavailable' } } });
    expect(noBot.body.error.message).toContain('TELEGRAM_TOKEN');
    const still = (await asAdmin('GET', '/api/admin/payment-events')).body.items;
    expect(still.map((e: { id: number }) => e.id)).toContain(doubled.id);

    // Another admin marks it handled while Telegram answers: the Stars went back, and that is audited.
    const refunded: string[] = [];
    shop.app.admin.connect({
      refundStars: async (_userId, chargeId) => {
        shop.app.admin.paymentFlags.markHandled('key:other', doubled.id, 'looked at');
        refunded.push(chargeId);
        return true;
      },
    });
    const raced = await asAdmin('POST', `/api/admin/payment-events/${doubled.id}/refund-stars`);
    expect(raced).toMatchObject({ status: 409, body: { error: { code: 'conflict' } } });
    expect(raced.body.error.message).toContain(`${stars} Stars given back through Telegram`);
    expect(refunded).toEqual(['stxHTTP-B']);
    const after = (await asAdmin('GET', '/api/admin/payment-events?state=handled')).body.items;
    expect(after.find((e: { id: number }) => e.id === doubled.id)).toMatchObject({ refundable_stars: null });
    expect(await lastAudit('stars_given_back')).toMatchObject({
      actor: 'key:env',
      target: `payment_event:${doubled.id}`,
      details: { charge_id: 'stxHTTP-B', stars },
    });
    shop.app.admin.connect({});
  });
});

describe('payouts: the pending total in the stats, and a period as JSON or CSV', () => {
  test('GET /api/admin/stats counts pending payouts; GET /api/admin/payouts?from&to, with Accept: text/csv the same rows', async () => {
    const seller = await shop.sellerKey('Payout Books');
    const course = await shop.product({ seller: 'Payout Books', price_cents: 10_000 });
    paidByTelegram(610_010, course.id);
    shop.app.sellers.profiles.update(seller.sellerId, {
      payout_network: 'BTC',
      payout_address: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
    });
    const before = (await asAdmin('GET', '/api/admin/stats')).body.pending_payouts;
    const payout = shop.app.sellers.payouts.request(seller.sellerId, 2500);
    expect((await asAdmin('GET', '/api/admin/stats')).body.pending_payouts).toEqual({
      count: before.count + 1,
      amount_cents: before.amount_cents + 2500,
      currency: 'USD',
    });

    const day = payout.created_at.slice(0, 10);
    const json = await asAdmin('GET', `/api/admin/payouts?from=${day}&to=${day}`);
    const mine = json.body.items.filter((p: { seller_id: number }) => p.seller_id === seller.sellerId);
    expect(mine).toEqual([
      expect.objectContaining({ id: payout.id, seller_name: 'Payout Books', amount_cents: 2500, status: 'pending' }),
    ]);
    const response = await fetch(`${shop.url}/api/admin/payouts?from=${day}&to=${day}`, {
      headers: { authorization: `Bearer ${ADMIN_KEY}`, accept: 'text/csv' },
    });
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="payouts-${day}-${day}.csv"`);
    const lines = (await response.text()).trim().split('\r\n');
    expect(lines[0]).toBe(
      'payout_id,seller_id,seller_name,amount,currency,network,address,status,tx_hash,reason,requested_at,decided_at',
    );
    expect(lines).toHaveLength(json.body.items.length + 1);
    expect(lines).toContain(
      `${payout.id},${seller.sellerId},Payout Books,25.00,USD,BTC,bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq,pending,,,${payout.created_at},`,
    );
    expect(await lastAudit('payout_export')).toMatchObject({ actor: 'key:env', target: `${day}..${day}` });
    expect((await asAdmin('GET', '/api/admin/payouts?from=2026-12-31&to=2026-01-01')).status).toBe(422);
    // Without a period: the pending queue, as before.
    const pending = (await asAdmin('GET', '/api/admin/payouts')).body.items;
    expect(pending.map((p: { id: number }) => p.id)).toContain(payout.id);
  });
});
