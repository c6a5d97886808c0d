/**
 * Buyers outside Telegram: an API purchase with an e-mail is paid, the receipt goes
 * out through a real SMTP server (STARTTLS + AUTH, tests/fakes/smtp.ts), and its link downloads
 * the course. The order is delivered only once the server accepted the e-mail.
 */
import { afterEach, describe, expect, test } from 'bun:test';
import { dirname } from 'node:path';
import { buy, fakeClock, SMTP_AUTH, startShop, type Shop } from '../support/app.ts';
import { attachCourseFile, waitFor } from '../support/course-file.ts';

let shop: Shop | undefined;
afterEach(async () => {
  await shop?.stop();
  shop = undefined;
});

const sha256 = (bytes: ArrayBuffer) => new Bun.CryptoHasher('sha256').update(new Uint8Array(bytes)).digest('hex');
const jobStatus = (s: Shop, orderId: string, kind = 'deliver-receipt') =>
  (
    s.app.store.sqlite.query('SELECT status FROM jobs WHERE unique_key = ?').get(`${kind}:${orderId}`) as {
      status: string;
    } | null
  )?.status;
const emailJobsSettled = (s: Shop) =>
  (
    s.app.store.sqlite
      .query("SELECT count(*) AS n FROM jobs WHERE kind IN ('email', 'deliver') AND status NOT IN ('done', 'dead')")
      .get() as { n: number }
  ).n === 0;
const urls = (text: string) => [...text.matchAll(/https?:\/\/\S+/g)].map((m) => m[0]);

async function emailShop(options: Parameters<typeof startShop>[0] = {}) {
  shop = await startShop(options);
  const sqlite = shop.app.store.sqlite;
  const file = await attachCourseFile(dirname(sqlite.filename), sqlite, shop.productId);
  return { shop, file };
}

describe('no SMTP server configured', () => {
  test('POST /api/payment with an e-mail: 422 "e-mail delivery is not configured", nothing at the provider', async () => {
    shop = await startShop({ smtp: false });
    const response = await shop.call('POST', '/api/payment', {
      body: { product_id: shop.productId, pay_currency: 'btc', email: 'buyer@example.com' },
    });
    expect(response.status).toBe(422);
    const { error } = (await response.json()) as { error: { code: string; message: string } };
    expect(error.message).toContain('e-mail delivery is not configured');
    expect(shop.provider.payments()).toHaveLength(0);
    expect(shop.count('orders')).toBe(0);
  });
});

describe('an API purchase with an e-mail', () => {
  test('finished IPN -> exactly one receipt whose link downloads the uploaded bytes; delivered after the server accepted it', async () => {
    const { shop, file } = await emailShop();
    const payment = (await buy(shop, { email: 'Buyer@Example.COM' })) as Awaited<ReturnType<typeof buy>> & {
      order_token: string;
    };
    expect(payment.order_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await shop.provider.advance(payment.payment_id, 'finished')).toBe(200);
    const [mail] = await shop.smtp.waitForMessages(1);
    await waitFor('the deliver job', () => jobStatus(shop, payment.order_id) === 'done');
    expect(shop.orderStatus(payment.order_id)).toBe('delivered');
    expect(shop.smtp.messages).toHaveLength(1);

    expect(mail!.envelope.to).toEqual(['buyer@example.com']);
    expect(mail!.secure).toBe(true);
    expect(mail!.user).toBe(SMTP_AUTH.user);
    expect(mail!.parsed.from?.value[0]).toMatchObject({ name: 'TechBot Shop', address: 'shop@techbot.test' });
    expect(mail!.parsed.subject).toBe(`Your course “Bitcoin from zero” — order ${payment.order_id}`);
    const text = mail!.parsed.text!;
    expect(text).toContain('$49.00');
    expect(text).toContain(payment.order_id);
    expect(mail!.parsed.html).toContain('<a href="');
    expect(mail!.parsed.html).not.toContain('<img');
    const [download, renew] = urls(text);
    expect(mail!.parsed.html).toContain(download!);

    const bytes = await fetch(download!);
    expect(bytes.status).toBe(200);
    expect(sha256(await bytes.arrayBuffer())).toBe(file.sha256);
    // "Get a new link": the order token in the e-mail redirects to a fresh signed link.
    const renewed = await fetch(renew!, { redirect: 'manual' });
    expect(renewed.status).toBe(303);
    expect(sha256(await (await fetch(renewed.headers.get('location')!)).arrayBuffer())).toBe(file.sha256);
  });

  test('SMTP down: the order stays paid and /ready says smtp down; back up, the receipt goes out once (fake clock)', async () => {
    const { shop } = await emailShop({ clock: fakeClock() });
    await waitFor('the SMTP check at start', () => shop.app.notify.state() === 'up');
    await shop.smtpDown();
    const payment = await buy(shop);
    expect(await shop.provider.advance(payment.payment_id, 'finished')).toBe(200);
    const attempts = () =>
      (
        shop.app.store.sqlite
          .query('SELECT attempts FROM jobs WHERE unique_key = ?')
          .get(`deliver-receipt:${payment.order_id}`) as { attempts: number } | null
      )?.attempts ?? 0;
    await waitFor('a failed attempt', () => attempts() >= 1 && jobStatus(shop, payment.order_id) === 'ready');
    expect(shop.orderStatus(payment.order_id)).toBe('paid');
    const ready = await shop.call('GET', '/ready');
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { components: Record<string, { status: string }> }).components.smtp?.status).toBe(
      'down',
    );

    // Still down at the next attempt: still paid.
    shop.clock.advance(60_000);
    await waitFor('a second failed attempt', () => attempts() >= 2 && jobStatus(shop, payment.order_id) === 'ready');
    expect(shop.orderStatus(payment.order_id)).toBe('paid');

    const smtp = await shop.smtpUp();
    shop.clock.advance(10 * 60_000);
    await smtp.waitForMessages(1, 10_000);
    await waitFor('the deliver job', () => jobStatus(shop, payment.order_id) === 'done');
    expect(shop.orderStatus(payment.order_id)).toBe('delivered');
    shop.clock.advance(60 * 60_000);
    await waitFor('every e-mail job done', () => emailJobsSettled(shop));
    expect(smtp.messages).toHaveLength(1);
    expect(shop.app.notify.state()).toBe('up');
  });
});

describe('the other e-mails of a sale', () => {
  test('a seller with an e-mail is told of the sale; a Telegram buyer who gave an e-mail gets a receipt copy', async () => {
    const { shop, file } = await emailShop();
    shop.app.store.sqlite.run("UPDATE sellers SET email = 'ada@academy.test'");
    const payment = await buy(shop, { email: 'Tg.Buyer@Example.com', telegram_user_id: 61_500 });
    expect(await shop.provider.advance(payment.payment_id, 'finished')).toBe(200);
    const messages = await shop.smtp.waitForMessages(2);
    await waitFor('the deliver job', () => jobStatus(shop, payment.order_id, 'deliver') === 'done');
    const to = (address: string) => messages.filter((m) => m.envelope.to.includes(address));
    expect(to('ada@academy.test')).toHaveLength(1);
    expect(to('ada@academy.test')[0]!.parsed.subject).toBe('You sold “Bitcoin from zero”');
    expect(to('ada@academy.test')[0]!.parsed.text).toContain('$46.55');
    const [receipt] = to('tg.buyer@example.com');
    expect(receipt!.parsed.subject).toBe(`Your course “Bitcoin from zero” — order ${payment.order_id}`);
    const [download] = urls(receipt!.parsed.text!);
    expect(sha256(await (await fetch(download!)).arrayBuffer())).toBe(file.sha256);
    expect(shop.orderStatus(payment.order_id)).toBe('delivered');
    await waitFor('every e-mail job done', () => emailJobsSettled(shop));
    expect(shop.smtp.messages).toHaveLength(2);
  });
});

describe('GET /api/orders/{id} with the order token', () => {
  test('right token (query or header): status then a download link; no token 401, a wrong one 404; never logged', async () => {
    const { shop, file } = await emailShop();
    const payment = await buy(shop);
    const path = `/api/orders/${payment.order_id}`;
    const before = await shop.call('GET', `${path}?token=${payment.order_token}`);
    expect(before.status).toBe(200);
    expect(await before.json()).toMatchObject({
      order_id: payment.order_id,
      status: 'awaiting_payment',
      download: null,
    });

    expect((await shop.call('GET', path)).status).toBe(401);
    expect((await shop.call('GET', `${path}?token=${'A'.repeat(43)}`)).status).toBe(404);
    expect((await shop.call('GET', `/api/orders/ORD-0000-NOTREAL1?token=${payment.order_token}`)).status).toBe(404);

    expect(await shop.provider.advance(payment.payment_id, 'finished')).toBe(200);
    await shop.smtp.waitForMessages(1);
    const after = await fetch(`${shop.url}${path}`, { headers: { 'x-order-token': payment.order_token } });
    expect(after.status).toBe(200);
    const body = (await after.json()) as { status: string; download: { url: string } };
    expect(body.status).toMatch(/paid|delivered/);
    expect(sha256(await (await fetch(body.download.url)).arrayBuffer())).toBe(file.sha256);
    expect(JSON.stringify(shop.logs)).not.toContain(payment.order_token);
  });
});
