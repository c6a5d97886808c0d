import { afterEach, describe, expect, test } from 'bun:test';
import { dirname } from 'node:path';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram.ts';
import { ADMIN_KEY, buy, startShop, type Shop } from '../support/app.ts';
import { attachCourseFile, waitFor } from '../support/course-file.ts';

const TOKEN = '5550001:AAH-delivery_flow_test_token';

let shop: Shop | undefined;
let telegram: FakeTelegram | undefined;
afterEach(async () => {
  await shop?.stop();
  await telegram?.stop();
  shop = telegram = undefined;
});

/** The whole app with the fake NOWPayments and the fake Telegram, and a product with a file. */
async function startDeliveringShop() {
  telegram = await startFakeTelegram({ token: TOKEN });
  shop = await startShop({ env: { TELEGRAM_TOKEN: TOKEN, TELEGRAM_API_ROOT: telegram.apiRoot } });
  const sqlite = shop.app.store.sqlite;
  const file = await attachCourseFile(dirname(sqlite.filename), sqlite, shop.productId);
  const job = (orderId: string) =>
    sqlite.query('SELECT status, attempts, last_error FROM jobs WHERE unique_key = ?').get(`deliver:${orderId}`) as {
      status: string;
      attempts: number;
      last_error: string | null;
    } | null;
  return { shop, telegram, file, job };
}

describe('delivery after payment, in the running app', () => {
  test('a paid Telegram buyer receives the file once and the order becomes delivered', async () => {
    const { shop, telegram, file, job } = await startDeliveringShop();
    const payment = await buy(shop, { email: undefined, telegram_user_id: 61_001 });
    expect(await shop.provider.advance(payment.payment_id, 'finished')).toBe(200);
    await waitFor('the deliver job', () => job(payment.order_id)?.status === 'done');
    expect(shop.orderStatus(payment.order_id)).toBe('delivered');
    const documents = telegram
      .calls('sendDocument')
      .filter((c) => String(c.params.chat_id) === '61001' && c.response.ok);
    expect(documents).toHaveLength(1);
    expect(documents[0]!.files[0]).toMatchObject({ sha256: file.sha256, size: file.size });
  });

  test("a buyer who blocked the bot: marked blocked_bot, the order stays paid and the admin's list of paid orders shows it", async () => {
    const { shop, telegram, job } = await startDeliveringShop();
    telegram.blockUser(61_002);
    const payment = await buy(shop, { email: undefined, telegram_user_id: 61_002 });
    expect(await shop.provider.advance(payment.payment_id, 'finished')).toBe(200);
    await waitFor('the deliver job to end', () => job(payment.order_id)?.status === 'dead');
    expect(job(payment.order_id)).toMatchObject({ attempts: 1, last_error: expect.stringContaining('blocked') });
    const sqlite = shop.app.store.sqlite;
    expect(sqlite.query('SELECT blocked_bot FROM users WHERE telegram_id = 61002').get()).toEqual({ blocked_bot: 1 });

    const response = await shop.call('GET', '/api/admin/orders?status=paid', { key: ADMIN_KEY });
    expect(response.status).toBe(200);
    const { items } = (await response.json()) as { items: { id: string; status: string }[] };
    expect(items).toContainEqual(expect.objectContaining({ id: payment.order_id, status: 'paid' }));
  });
});
