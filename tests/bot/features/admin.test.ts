/**
 * The operator's area in the bot (in process): only ADMIN_USER_ID gets in, re-checked on every
 * command and button (refusals polite, logged and audited); refunds (Stars given back through
 * refundStarPayment with the charge id, crypto marked refunded) revoke access, reverse the
 * ledger and tell both parties in their language; a second Stars charge for an order already
 * paid is given back from the flagged list, the order and the course kept; moderation
 * (take-down, suspension, ban).
 */
import { describe, expect, test } from 'bun:test';
import { cb } from '../../../src/bot/keyboards/callback-data.ts';
import { linkSeller, useAdminBot } from '../../support/admin.ts';
import { invoiceFor } from '../../support/buying.ts';

const ADMIN_ID = 777_001;
const kit = useAdminBot(ADMIN_ID, [777_002]);

const audit = () => kit.h.app.admin.audit.list();

describe('bot: admin access', () => {
  test('a non-admin gets a polite refusal for /admin, admin commands and a forged admin button; each is logged and audited', async () => {
    const intruder = kit.h.fake.user({ language_code: 'fr' });
    await intruder.send('/admin');
    await intruder.waitForMessage('Désolé, ceci est réservé aux administrateurs de la boutique.');
    await intruder.send('/ban 1 spam');
    await intruder.waitForMessage(/réservé aux administrateurs/, { since: 'action' });
    intruder.pressData(cb.admin.pack({ verb: 'audit', arg: undefined }));
    expect(await intruder.callbackAnswer()).toMatchObject({
      text: 'Désolé, ceci est réservé aux administrateurs de la boutique.',
      show_alert: true,
    });
    await kit.h.fake.idle();
    expect(intruder.messages().filter((m) => /Administration|Journal/.test(m.text ?? ''))).toEqual([]);
    const denied = audit().filter((e) => e.actor === `tg:${intruder.id}`);
    expect(denied.map((e) => [e.action, e.target])).toEqual([
      ['access_denied', `button ${cb.admin.pack({ verb: 'audit', arg: undefined })}`],
      ['access_denied', '/ban'],
      ['access_denied', '/admin'],
    ]);
    expect(kit.h.logs.filter((l) => l.msg === 'admin action refused: not an admin')).toHaveLength(3);
    expect(kit.h.app.users.findByTelegramId(1)).toBeUndefined();
  });

  test('an admin gets the menu and the audit log (fr and en)', async () => {
    await kit.admin.send('/admin');
    await kit.admin.waitForMessage(/🛠 Administration/);
    expect(kit.admin.buttons()).toEqual([
      '📊 Stats',
      '💬 Support inbox',
      '💸 Payouts',
      '📜 Audit log',
      '📦 Orders',
      '⚰️ Dead jobs',
    ]);
    await kit.admin.tap('📜 Audit log');
    const log = await kit.admin.waitForMessage(/Last admin actions/);
    expect(log.text).toContain('access_denied');
    const other = kit.h.fake.user({ id: 777_002, language_code: 'fr' });
    await other.send('/admin');
    await other.waitForMessage(/Commandes :/);
  });
});

/**
 * A Stars order paid twice by a French buyer: both checkouts passed before either charge arrived
 * (two invoices paid at once). The second charge is the flagged event.
 */
async function paidTwice(title: string) {
  const course = await kit.h.course({ title });
  const buyer = kit.h.fake.user({ language_code: 'fr' });
  const invoices = [await invoiceFor(buyer, course.id), await invoiceFor(buyer, course.id)];
  const [a, b] = await Promise.all(invoices.map((invoice) => buyer.pay({ messageId: invoice.message_id })));
  if (!a?.ok || !b?.ok) throw new Error('not paid twice');
  expect(b.successful_payment.invoice_payload).toBe(a.successful_payment.invoice_payload);
  const orderId = a.successful_payment.invoice_payload;
  const extra = b.successful_payment.telegram_payment_charge_id;
  await kit.h.fake.idle();
  const event = kit.h.app.admin.paymentFlags.list().find((e) => e.payment_id === extra)!;
  expect(event).toMatchObject({ provider: 'stars', flag: 'double_payment', order_id: orderId });
  return { course, buyer, orderId, extra, event, stars: b.successful_payment.total_amount };
}

/** The flagged list, from /admin, and the card of payment event `id`. */
async function flaggedCard(id: number) {
  await kit.admin.send('/admin');
  await kit.admin.waitForMessage(/Administration/);
  await kit.admin.tap('📦 Orders');
  await kit.admin.waitForMessage(/📦 Orders/);
  await kit.admin.tap(/🚩 Flagged payments/);
  return kit.admin.waitForMessage(new RegExp(`#${id} (double|unknown)_payment`));
}

describe('bot: admin refunds', () => {
  test('Stars: refundStarPayment with the charge id, access revoked, ledger reversed, buyer and seller told in their language', async () => {
    const course = await kit.h.course({ title: 'Stars course', seller: 'Refund Academy' });
    const sellerUser = kit.h.fake.user({ language_code: 'fr' });
    linkSeller(kit.h, course.seller_id, sellerUser);
    const buyer = kit.h.fake.user({ language_code: 'en' });
    await invoiceFor(buyer, course.id);
    const paid = await buyer.pay();
    if (!paid.ok) throw new Error('not paid');
    const orderId = paid.successful_payment.invoice_payload;
    const chargeId = paid.successful_payment.telegram_payment_charge_id;
    await kit.h.fake.idle();
    await kit.h.deliver(orderId);
    const buyerId = kit.h.app.users.findByTelegramId(buyer.id)!.id;
    expect(kit.h.app.orders.owns(buyerId, course.id)).toBe(true);

    await kit.admin.send(`/refund ${orderId.toLowerCase()} course did not open`);
    const confirm = await kit.admin.waitForMessage(/Refund ORD-/);
    expect(confirm.text).toContain('Stars course');
    expect(confirm.text).toContain('course did not open');
    await kit.admin.tap('↩️ Confirm the refund');
    await kit.admin.waitForMessage(/refunded\. Seller balance now: 0\.00 USD/);

    expect(kit.h.fake.calls('refundStarPayment').map((c) => c.params)).toEqual([
      { user_id: buyer.id, telegram_payment_charge_id: chargeId },
    ]);
    expect(kit.h.fake.charges().find((c) => c.telegram_payment_charge_id === chargeId)?.refunded).toBe(true);
    expect(kit.h.app.orders.get(orderId).status).toBe('refunded');
    expect(kit.h.app.orders.owns(buyerId, course.id)).toBe(false);
    await buyer.waitForMessage(/Your order ORD-.* \(“Stars course”, 49\.00 USD\) has been refunded/);
    // "Download again" is refused now.
    const sent = buyer.documents().length;
    buyer.pressData(cb.download.pack({ id: course.id }));
    await kit.h.fake.idle();
    expect(await buyer.callbackAnswer({ timeoutMs: 1000 })).toMatchObject({
      text: 'This course is not in your library.',
    });
    expect(buyer.documents()).toHaveLength(sent);
    const sqlite = kit.h.app.store.sqlite;
    expect(sqlite.query('SELECT sum(amount_cents) AS s FROM ledger_entries WHERE order_id = ?').get(orderId)).toEqual({
      s: 0,
    });
    expect(
      sqlite.query('SELECT count(*) AS n FROM ledger_entries WHERE order_id = ? AND amount_cents < 0').get(orderId),
    ).toEqual({ n: 2 });
    await sellerUser.waitForMessage(/a été remboursée par la boutique : -.* Votre solde : 0\.00 USD/);
    expect(audit()[0]).toMatchObject({
      actor: `tg:${ADMIN_ID}`,
      action: 'refund',
      target: `order:${orderId}`,
      reason: 'course did not open',
      details: { method: 'stars', charge_id: chargeId },
    });

    // Twice: refused, nothing more booked or called.
    await kit.admin.send(`/refund ${orderId}`);
    await kit.admin.waitForMessage(/Refund ORD-/);
    await kit.admin.tap('↩️ Confirm the refund');
    await kit.admin.waitForMessage(/only a paid order can be refunded; this one is refunded/);
    expect(kit.h.fake.calls('refundStarPayment')).toHaveLength(1);
  });

  test('crypto: a note is required; marked refunded without any Telegram call; a stale confirmation does nothing', async () => {
    const course = await kit.h.course({ title: 'Crypto course' });
    const buyer = kit.h.fake.user({ language_code: 'fr' });
    const { orderId, buyerId } = await kit.h.own(buyer, course.id);
    const calls = kit.h.fake.calls('refundStarPayment').length;

    await kit.admin.send(`/refund ${orderId}`);
    await kit.admin.waitForMessage(/Refund ORD-/);
    await kit.admin.tap('↩️ Confirm the refund');
    await kit.admin.waitForMessage(/invalid refund: note/);
    expect(kit.h.app.orders.get(orderId).status).toBe('delivered');

    await kit.admin.send(`/refund ${orderId} sent back 0.001 BTC by hand`);
    await kit.admin.waitForMessage(/Note: sent back/);
    await kit.admin.tap('↩️ Confirm the refund');
    await kit.admin.waitForMessage(/Order ORD-.* refunded/);
    expect(kit.h.app.orders.get(orderId).status).toBe('refunded');
    expect(kit.h.app.orders.owns(buyerId, course.id)).toBe(false);
    expect(kit.h.fake.calls('refundStarPayment')).toHaveLength(calls);
    await buyer.waitForMessage(/a été remboursée/);
    // A confirmation pressed again (or forged) finds nothing waiting: nothing happens.
    kit.admin.pressData(cb.admin.pack({ verb: 'refund', arg: orderId }));
    await kit.admin.waitForMessage(/This confirmation has expired/);
    expect(audit().filter((e) => e.target === `order:${orderId}`)).toHaveLength(1);
  });

  test('Stars paid twice for one order: the second charge is given back from the flagged list; the order and the course stay', async () => {
    const { course, buyer, orderId, extra, event, stars } = await paidTwice('Twice paid course');
    const shown = { en: stars.toLocaleString('en'), fr: stars.toLocaleString('fr') };

    const card = await flaggedCard(event.id);
    expect(card.text).toContain(`#${event.id} double_payment · payment ${extra}`);
    const giveBack = `↩️ Give back ${shown.en} ⭐ (#${event.id})`;
    expect(kit.admin.buttons(card.message_id)).toEqual([giveBack, `✅ Mark #${event.id} handled`]);
    await kit.admin.tap(giveBack);
    await kit.admin.waitForMessage(
      `↩️ ${shown.en} ⭐ of payment event #${event.id} given back to the payer; the event is handled.`,
    );

    const refunds = () => kit.h.fake.calls('refundStarPayment').filter((c) => c.params.user_id === buyer.id);
    expect(refunds().map((c) => c.params)).toEqual([{ user_id: buyer.id, telegram_payment_charge_id: extra }]);
    expect(kit.h.fake.charges().find((c) => c.telegram_payment_charge_id === extra)?.refunded).toBe(true);
    await buyer.waitForMessage(`↩️ ${shown.fr} Stars vous ont été rendues : ce paiement ne correspondait à aucun achat`);
    const buyerId = kit.h.app.users.findByTelegramId(buyer.id)!.id;
    expect(kit.h.app.orders.owns(buyerId, course.id)).toBe(true);
    expect(kit.h.app.orders.get(orderId).status).not.toBe('refunded');
    expect(audit()[0]).toMatchObject({
      action: 'stars_given_back',
      target: `payment_event:${event.id}`,
      details: { flag: 'double_payment', charge_id: extra, stars },
    });
    // Pressed again (another admin's card, a double tap): nothing is given back twice.
    kit.admin.pressData(cb.admin.pack({ verb: 'starsback', arg: String(event.id) }));
    await kit.admin.waitForMessage(`payment event ${event.id} is already handled`);
    expect(refunds()).toHaveLength(1);
  });

  test('Stars given back: a charge Telegram refunded already (a retry after a crash) is booked; one it refuses stays open', async () => {
    const { buyer, extra, event } = await paidTwice('Refunded before the crash');
    await kit.h.bot.api.refundStarPayment(buyer.id, extra); // given back, then the process died
    await flaggedCard(event.id);
    await kit.admin.tap(new RegExp(`Give back .* \\(#${event.id}\\)`));
    await kit.admin.waitForMessage(new RegExp(`⭐ of payment event #${event.id} given back to the payer`));
    expect(kit.h.app.admin.paymentFlags.list('handled').map((e) => e.id)).toContain(event.id);

    // A charge the Bot API does not know (CHARGE_NOT_FOUND): refused, nothing booked.
    kit.h.app.store.sqlite.run(
      `INSERT INTO payment_events (provider, provider_payment_id, status, amount, dedupe_key, raw, flag, received_at)
       VALUES ('stars', 'stxNOSUCHCHARGE', 'paid', '50', 'stars:stxNOSUCHCHARGE', ?, 'unknown_payment', 0)`,
      [JSON.stringify({ from: { id: buyer.id }, successful_payment: { total_amount: 50 } })],
    );
    const unknown = kit.h.app.admin.paymentFlags.list().find((e) => e.payment_id === 'stxNOSUCHCHARGE')!;
    await flaggedCard(unknown.id);
    await kit.admin.tap(`↩️ Give back 50 ⭐ (#${unknown.id})`);
    await kit.admin.waitForMessage(/Telegram refused the refund: .*CHARGE_NOT_FOUND/);
    expect(kit.h.app.admin.paymentFlags.list().map((e) => e.id)).toContain(unknown.id);
  });
});
