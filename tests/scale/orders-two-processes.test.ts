/**
 * Two `techbot serve` processes on one DATA_DIR and one real redis-server:
 * 100 orders paid by IPNs spread over both processes, each delivered exactly once into its
 * buyer's Telegram chat, whichever process runs the delivery job.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { startFakeNowPayments, type FakeNowPayments } from '../fakes/nowpayments.ts';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram.ts';
import { NP_KEY, NP_SECRET } from '../support/app.ts';
import { tempDir } from '../support/env.ts';
import { ensureBinary } from '../scenario/binary.ts';
import { startServer } from '../support/process.ts';
import { ADMIN_KEY, listCourse, request, type Started } from './support.ts';
import { redisServerPath, startRedisServer, type RedisServer } from '../support/redis.ts';

const TOKEN = '5550016:AAH-scaling_orders_token';
const ORDERS = 100;

describe.skipIf(!redisServerPath)('100 orders paid through two processes', () => {
  const dir = tempDir('techbot-scale-orders-');
  let redis: RedisServer;
  let telegram: FakeTelegram;
  let provider: FakeNowPayments;
  let apps: Started[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    telegram = await startFakeTelegram({ token: TOKEN });
    provider = startFakeNowPayments({ apiKey: NP_KEY, ipnSecret: NP_SECRET });
    const env = {
      DATA_DIR: dir.path,
      ADMIN_API_KEY: ADMIN_KEY,
      REDIS_URL: redis.url,
      TELEGRAM_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      NOWPAYMENTS_API_KEY: NP_KEY,
      NOWPAYMENTS_IPN_SECRET: NP_SECRET,
      NOWPAYMENTS_API_URL: provider.url,
      RATE_LIMIT_REQUESTS: '1000',
    };
    const binary = await ensureBinary();
    apps = await Promise.all([0, 1].map(() => startServer([binary, 'serve'], env, dir.path)));
    // Two processes and a redis-server starting side by side: seconds on a busy 2-core machine.
  }, 60_000);

  afterAll(async () => {
    for (const app of apps) app.proc.kill('SIGTERM');
    await Promise.all(apps.map((app) => app.proc.exited));
    await redis?.cleanup();
    await provider?.stop();
    await telegram?.stop();
    dir.cleanup();
  }, 30_000);

  test(`${ORDERS} IPNs spread over both processes: each order delivered once`, async () => {
    const b = apps[1]!;
    const { product } = await listCourse(b, 'Paid twice over');
    expect(product.status).toBe(201);
    const buyers = Array.from({ length: ORDERS }, (_, i) =>
      telegram.user({ first_name: `Buyer${i}`, language_code: 'en' }),
    );
    const payments = await Promise.all(
      buyers.map((buyer, i) =>
        request<{ payment_id: string }>(apps[i % 2]!, 'POST', '/api/payment', {
          product_id: product.body.id,
          pay_currency: 'btc',
          telegram_user_id: buyer.id,
        }),
      ),
    );
    expect(payments.filter((p) => p.status !== 201)).toEqual([]);
    // The IPN of each payment goes to the process that did not create it.
    const ipns = await Promise.all(
      payments.map((payment, i) =>
        provider.advance(payment.body.payment_id, 'finished', { url: `${apps[(i + 1) % 2]!.url}/api/ipn/nowpayments` }),
      ),
    );
    expect(ipns.filter((status) => status !== 200)).toEqual([]);
    const documents = () => telegram.calls('sendDocument').filter((c) => c.status === 200);
    const deadline = Date.now() + 60_000;
    while (documents().length < ORDERS && Date.now() < deadline) await Bun.sleep(200);
    // A little longer: a second delivery of any order would show now.
    await Bun.sleep(1000);
    const chats = documents().map((c) => String(c.params.chat_id));
    expect(chats).toHaveLength(ORDERS);
    expect(new Set(chats).size).toBe(ORDERS);
    expect(new Set(chats)).toEqual(new Set(buyers.map((buyer) => String(buyer.id))));
  }, 90_000);
});
