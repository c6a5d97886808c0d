/**
 * ADMIN_EMAIL alerts from the running app: a flagged payment event and a partial
 * payment waiting for a decision each produce one alert e-mail, however often NOWPayments
 * repeats the IPN. Addresses are checked and normalised where they come in.
 */
import { afterEach, describe, expect, test } from 'bun:test';
import { normalizeEmail } from '../../src/lib/email-address.ts';
import { ADMIN_KEY, buy, startShop, type Shop, type StartedPayment } from '../support/app.ts';
import { waitFor } from '../support/course-file.ts';

let shop: Shop | undefined;
afterEach(async () => {
  await shop?.stop();
  shop = undefined;
});

const finished = (s: Shop, payment: StartedPayment, overrides: Record<string, unknown> = {}) =>
  s.provider.sendIpn(payment.payment_id, {
    payment_status: 'finished',
    actually_paid: Number(payment.pay_amount),
    ...overrides,
  });
const alerts = (s: Shop) => s.smtp.messages.filter((m) => m.envelope.to.includes('admin@techbot.test'));
const emailJobsSettled = (s: Shop) =>
  (
    s.app.store.sqlite.query("SELECT count(*) AS n FROM jobs WHERE kind = 'email' AND status != 'done'").get() as {
      n: number;
    }
  ).n === 0;

describe('alerts to ADMIN_EMAIL', () => {
  test('a flagged IPN (amount mismatch), sent twice: one alert', async () => {
    shop = await startShop();
    const payment = await buy(shop);
    expect(await finished(shop, payment, { actually_paid: 1e-8, price_amount: 0.01 })).toBe(200);
    expect(await finished(shop, payment, { actually_paid: 1e-8, price_amount: 0.01 })).toBe(200);
    await shop.smtp.waitForMessages(1);
    await waitFor('e-mail jobs done', () => emailJobsSettled(shop!));
    expect(alerts(shop)).toHaveLength(1);
    expect(alerts(shop)[0]!.parsed.subject).toBe('[TechBot alert] payment event flagged: amount_mismatch');
    expect(alerts(shop)[0]!.parsed.text).toContain(payment.payment_id);
  });

  test('a partial payment waiting for a decision: one alert naming the order', async () => {
    shop = await startShop();
    const payment = await buy(shop);
    const short = (Number(payment.pay_amount) - 0.00000001).toFixed(8);
    expect(await finished(shop, payment, { actually_paid: Number(short) })).toBe(200);
    expect(shop.orderStatus(payment.order_id)).toBe('partially_paid');
    await waitFor('the alert', () => alerts(shop!).length >= 1);
    await waitFor('e-mail jobs done', () => emailJobsSettled(shop!));
    expect(alerts(shop).map((m) => m.parsed.subject)).toContainEqual(
      `[TechBot alert] partial payment waiting for a decision: order ${payment.order_id}`,
    );
  });

  test('a partial-payment alert lost after its IPN was applied (a crash before it was queued) comes with the repeat', async () => {
    shop = await startShop();
    const payment = await buy(shop);
    // As NOWPayments says it: status partially_paid, less than due (no mismatch: the order waits).
    const short = {
      payment_status: 'partially_paid',
      actually_paid: Number((Number(payment.pay_amount) / 2).toFixed(8)),
    };
    expect(await shop.provider.sendIpn(payment.payment_id, short)).toBe(200);
    expect(shop.orderStatus(payment.order_id)).toBe('partially_paid');
    await waitFor('e-mail jobs done', () => alerts(shop!).length > 0 && emailJobsSettled(shop!));
    const partial = `[TechBot alert] partial payment waiting for a decision: order ${payment.order_id}`;
    const before = alerts(shop).length;
    expect(alerts(shop).map((m) => m.parsed.subject)).toContainEqual(partial);
    // As if the process had stopped between the commit and the alert: no trace of it left.
    shop.app.store.sqlite.run("DELETE FROM jobs WHERE kind = 'email'");
    // NOWPayments repeats the notification byte for byte: a duplicate, and the alert is sent.
    const first = shop.provider.ipns().at(-1)!;
    const again = await fetch(first.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-nowpayments-sig': first.signature! },
      body: first.body,
    });
    expect(await again.json()).toMatchObject({ outcome: 'duplicate' });
    await waitFor('the alert again', () => alerts(shop!).length > before);
    expect(
      alerts(shop)
        .slice(before)
        .map((m) => m.parsed.subject),
    ).toEqual([partial]);
    expect(shop.orderStatus(payment.order_id)).toBe('partially_paid');
  });

  test('a flagged event seen first by polling NOWPayments (the IPN lost or late) is alerted; the late IPN adds nothing', async () => {
    shop = await startShop();
    const payment = await buy(shop);
    const short = Number((Number(payment.pay_amount) / 2).toFixed(8));
    expect(
      await shop.provider.advance(payment.payment_id, 'finished', { send: false, actuallyPaid: short }),
    ).toBeNull();
    expect(await shop.app.payments.refresh(payment.payment_id)).toBe('amount_mismatch');
    expect(shop.orderStatus(payment.order_id)).toBe('partially_paid');
    await waitFor('e-mail jobs done', () => alerts(shop!).length >= 2 && emailJobsSettled(shop!));
    const subjects = [
      '[TechBot alert] payment event flagged: amount_mismatch',
      `[TechBot alert] partial payment waiting for a decision: order ${payment.order_id}`,
    ];
    expect(
      alerts(shop)
        .map((m) => m.parsed.subject)
        .sort(),
    ).toEqual(subjects.sort());
    // NOWPayments' own IPN of the same state arrives late: a duplicate, and nobody is told twice.
    expect(await shop.provider.sendIpn(payment.payment_id)).toBe(200);
    await waitFor('e-mail jobs done', () => emailJobsSettled(shop!));
    expect(alerts(shop)).toHaveLength(2);
  });

  test('a flagged-event alert lost after its IPN was applied comes with the repeat; once handled, repeats are quiet', async () => {
    shop = await startShop();
    const payment = await buy(shop);
    expect(await finished(shop, payment, { actually_paid: 1e-8, price_amount: 0.01 })).toBe(200);
    await waitFor('e-mail jobs done', () => alerts(shop!).length > 0 && emailJobsSettled(shop!));
    const flagged = '[TechBot alert] payment event flagged: amount_mismatch';
    expect(alerts(shop).map((m) => m.parsed.subject)).toEqual([flagged]);
    // As if the process had stopped between the commit and the alert: no trace of it left.
    shop.app.store.sqlite.run("DELETE FROM jobs WHERE kind = 'email'");
    const first = shop.provider.ipns().at(-1)!;
    const repeat = () =>
      fetch(first.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-nowpayments-sig': first.signature! },
        body: first.body,
      }).then((response) => response.json());
    expect(await repeat()).toMatchObject({ outcome: 'duplicate' });
    await waitFor('the alert again', () => alerts(shop!).length > 1);
    await waitFor('e-mail jobs done', () => emailJobsSettled(shop!));
    expect(alerts(shop).map((m) => m.parsed.subject)).toEqual([flagged, flagged]);

    // The operator looked at it: NOWPayments' next repeat tells nobody.
    const open = (await (await shop.call('GET', '/api/admin/payment-events', { key: ADMIN_KEY })).json()) as {
      items: { id: number }[];
    };
    expect(open.items).toHaveLength(1);
    const handled = await shop.call('POST', `/api/admin/payment-events/${open.items[0]!.id}/handled`, {
      key: ADMIN_KEY,
      body: { note: 'refunded by hand' },
    });
    expect(handled.status).toBe(200);
    shop.app.store.sqlite.run("DELETE FROM jobs WHERE kind = 'email'");
    expect(await repeat()).toMatchObject({ outcome: 'duplicate' });
    expect(
      (shop.app.store.sqlite.query("SELECT count(*) AS n FROM jobs WHERE kind = 'email'").get() as { n: number }).n,
    ).toBe(0);
  });
});

describe('e-mail addresses', () => {
  test('normalised once (trimmed, lower case); CR/LF, control characters, no domain dot or over 254 characters refused', () => {
    expect(normalizeEmail('  Ada.Lovelace+course@Example.ORG ')).toBe('ada.lovelace+course@example.org');
    for (const bad of [
      'a@b.co\r\nBcc: x@y.z',
      'a@b.co\n',
      'a\u0000@b.co',
      'nobody',
      'a@localhost',
      'a b@c.de',
      `${'a'.repeat(250)}@b.co`,
      '<a@b.co>',
    ]) {
      expect({ bad, normalized: normalizeEmail(bad) }).toEqual({ bad, normalized: null });
    }
  });

  test('POST /api/payment refuses an address carrying a header; the buyer is stored normalised', async () => {
    shop = await startShop();
    const refused = await shop.call('POST', '/api/payment', {
      body: { product_id: shop.productId, pay_currency: 'btc', email: 'a@b.co\r\nBcc: victim@example.com' },
    });
    expect(refused.status).toBe(422);
    expect(shop.provider.payments()).toHaveLength(0);
    await buy(shop, { email: 'Mixed.Case@Example.COM' });
    expect(shop.app.store.sqlite.query('SELECT email FROM users WHERE email IS NOT NULL').all()).toEqual([
      { email: 'mixed.case@example.com' },
    ]);
  });
});
