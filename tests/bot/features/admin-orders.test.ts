/**
 * The operator's orders in the bot (in process): /order shows one order with why it is not
 * delivered and "deliver again"; /orders finds a buyer's orders by @username, e-mail or
 * Telegram id, or a course's; the Orders screen counts and lists paid-undelivered orders (with
 * why), partial payments (accept by button, /refusepartial with a reason: the buyer is told in
 * their language) and flagged payment events ("mark handled"). Every action audited.
 */
import { describe, expect, test } from 'bun:test';
import { useAdminBot } from '../../support/admin.ts';

const ADMIN_ID = 777_501;
const kit = useAdminBot(ADMIN_ID);
const sqlite = () => kit.h.app.store.sqlite;
const lastAudit = () => kit.h.app.admin.audit.list({ limit: 1 })[0];

/** The deliver job of an order as the worker leaves it when it gives up. */
const killDelivery = (orderId: string, error: string) =>
  sqlite().run("UPDATE jobs SET status = 'dead', attempts = 8, last_error = ? WHERE unique_key = ?", [
    error,
    `deliver:${orderId}`,
  ]);

describe('bot: admin orders', () => {
  test('/order: a paid order whose delivery died, with why; "deliver again" runs it and the buyer gets the file', async () => {
    const course = await kit.h.course({ title: 'Stuck course' });
    const buyer = kit.h.fake.user({ language_code: 'en', username: 'stuck_buyer' });
    const { orderId, buyerId } = await kit.h.own(buyer, course.id, { file: false });
    sqlite().run("UPDATE users SET username = 'stuck_buyer' WHERE id = ?", [buyerId]);
    killDelivery(orderId, 'Error: Telegram is down');

    await kit.admin.send(`/order ${orderId.toLowerCase()}`);
    const card = await kit.admin.waitForMessage(new RegExp(`Order ${orderId} · paid · crypto`));
    expect(card.text).toContain('Stuck course · 49.00 USD');
    expect(card.text).toContain(`@stuck_buyer`);
    expect(card.text).toContain('Why: the delivery gave up — Error: Telegram is down');
    expect(card.text).toContain('awaiting_payment → paid · test');
    expect(kit.admin.buttons(card.message_id)).toEqual(['🔁 Deliver again']);

    await kit.admin.tap('🔁 Deliver again');
    await kit.admin.waitForMessage(new RegExp(`Delivery of ${orderId} running again \\(job #\\d+\\)`));
    expect(kit.h.app.queue.byUniqueKey(`deliver:${orderId}`)).toMatchObject({ status: 'ready' });
    expect(lastAudit()).toMatchObject({ actor: `tg:${ADMIN_ID}`, action: 'redeliver', target: `order:${orderId}` });
    // Pressed again while it waits: a conflict, nothing queued twice.
    await kit.admin.send(`/order ${orderId}`);
    await kit.admin.waitForMessage(/Why: a delivery is under way/);
    await kit.admin.tap('🔁 Deliver again');
    await kit.admin.waitForMessage(/is already queued/);

    await kit.h.deliver(orderId); // what the worker runs
    expect(buyer.documents()).toHaveLength(1);
    expect(kit.h.app.orders.get(orderId).status).toBe('delivered');
    await kit.admin.send('/order ORD-0000-NOTHERE');
    await kit.admin.waitForMessage(/order ORD-0000-NOTHERE not found/);
  });

  test('/orders by @username, e-mail, Telegram id and course id; nothing found says so', async () => {
    const course = kit.h.product({ title: 'Searched course' });
    const buyer = kit.h.fake.user({ language_code: 'en', username: 'Searcher' });
    const { orderId, buyerId } = await kit.h.own(buyer, course.id, { file: false });
    kit.h.app.users.setEmail(buyerId, 'searcher@example.com');
    sqlite().run("UPDATE users SET username = 'Searcher' WHERE id = ?", [buyerId]);
    for (const query of ['@searcher', 'SEARCHER@example.com', String(buyer.id), course.id]) {
      await kit.admin.send(`/orders ${query}`);
      const found = await kit.admin.waitForMessage(/order\(s\) for/);
      expect(found.text).toContain(`${orderId} · paid · 49.00 USD · Searched course`);
    }
    await kit.admin.send('/orders @nobody_here');
    await kit.admin.waitForMessage('No order found for @nobody_here.');
    await kit.admin.send('/orders');
    await kit.admin.waitForMessage(/Usage: \/orders/);
  });

  test('the Orders screen: undelivered with why, partials accepted or refused (buyer told in French), flagged events handled', async () => {
    // Earlier tests' orders are delivered: start from a clean slate of paid orders.
    sqlite().run("UPDATE orders SET status = 'delivered' WHERE status = 'paid'");
    const course = kit.h.product({ title: 'Fileless course' });
    const blocked = kit.h.fake.user({ language_code: 'en' });
    const blockedOrder = await kit.h.own(blocked, course.id, { file: false });
    const partialOrder = (user: ReturnType<typeof kit.h.fake.user>) => {
      const buyer = kit.h.app.users.upsertTelegram({ telegramId: user.id, languageCode: user.user.language_code });
      const { order } = kit.h.app.orders.create({ buyerId: buyer.id, productId: course.id, method: 'crypto' });
      kit.h.app.orders.transition(order.id, { to: 'partially_paid', actor: 'test' });
      return order.id;
    };
    const accepted = partialOrder(kit.h.fake.user({ language_code: 'en' }));
    const frenchBuyer = kit.h.fake.user({ language_code: 'fr' });
    const refused = partialOrder(frenchBuyer);
    sqlite().run(
      `INSERT INTO payment_events (provider, provider_payment_id, status, dedupe_key, raw, flag, received_at)
       VALUES ('stars', 'charge-unknown', 'paid', 'walk-dedupe', '{}', 'unknown_payment', 0)`,
    );
    const eventId = (sqlite().query('SELECT max(id) AS id FROM payment_events').get() as { id: number }).id;

    await kit.admin.send('/admin');
    await kit.admin.waitForMessage(/Administration/);
    await kit.admin.tap('📦 Orders');
    await kit.admin.waitForMessage(/📦 Orders/);
    expect(kit.admin.buttons()).toEqual([
      '📭 Paid, not delivered (1)',
      '🌓 Partially paid (2)',
      '🚩 Flagged payments (1)',
      '🛠 Admin',
    ]);

    await kit.admin.tap('📭 Paid, not delivered (1)');
    await kit.admin.waitForMessage(new RegExp(`${blockedOrder.orderId}[^]*Why: the course has no file yet`));

    await kit.admin.tap('🌓 Partially paid (2)');
    await kit.admin.waitForMessage(new RegExp(`To refuse it: /refusepartial ${refused} reason`));
    const acceptCard = kit.admin.messages().find((m) => m.text?.includes(accepted))!;
    await kit.admin.tap('✅ Accept the partial payment', { messageId: acceptCard.message_id });
    await kit.admin.waitForMessage(`✅ ${accepted} accepted as paid; the course is on its way.`);
    expect(kit.h.app.orders.get(accepted).status).toBe('paid');
    expect(lastAudit()).toMatchObject({ action: 'accept_partial', target: `order:${accepted}` });

    await kit.admin.send(`/refusepartial ${refused} sent 10% of the price`);
    await kit.admin.waitForMessage(`✖️ The partial payment of ${refused} was refused; the buyer was told.`);
    await frenchBuyer.waitForMessage(/ne couvrait pas le prix et a été refusé : sent 10% of the price/);
    expect(kit.h.app.orders.get(refused).status).toBe('cancelled');
    expect(lastAudit()).toMatchObject({ action: 'refuse_partial', reason: 'sent 10% of the price' });

    await kit.admin.tap('🛠 Admin');
    await kit.admin.waitForMessage(/Administration/);
    await kit.admin.tap('📦 Orders');
    await kit.admin.waitForMessage(/📦 Orders/);
    await kit.admin.tap('🚩 Flagged payments (1)');
    await kit.admin.waitForMessage(/#\d+ unknown_payment · payment charge-unknown/);
    await kit.admin.tap(`✅ Mark #${eventId} handled`);
    await kit.admin.waitForMessage(`✅ Payment event #${eventId} marked handled.`);
    expect(lastAudit()).toMatchObject({ action: 'payment_event_handled', target: `payment_event:${eventId}` });
    expect(kit.h.app.admin.stats.stats('all').flagged_payments).toBe(0);
  });

  test('a non-admin gets nothing from /orders or an orders button', async () => {
    const intruder = kit.h.fake.user({ language_code: 'en' });
    await intruder.send('/orders @anyone');
    await intruder.waitForMessage(/administrators only/);
    expect(kit.h.app.admin.audit.list({ action: 'access_denied', limit: 1 })[0]?.target).toBe('/orders');
  });
});
