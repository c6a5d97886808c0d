/**
 * Crash safety of the money path: the app runs as a child process
 * (`bun src/main.ts serve`), is SIGKILLed between payment and delivery, and is started again on
 * the same DATA_DIR. Every paid order is delivered exactly once.
 *
 * The moment of the kill is made certain, not raced: a gate between the app and the fake
 * Telegram holds every sendDocument request after the app sent it and before Telegram saw it.
 * `deliver` runs DELIVER_JOB.concurrency jobs at once, so with one more paid order than that,
 * the kill finds jobs in both states a crash can leave:
 *  - `running`, mid-send (claimed, lease held): taken over once the lease (JOB_LEASE_SECONDS=1
 *    here) runs out, so attempt 2 delivers;
 *  - `ready`, never claimed: run by the restarted process on its first claim (attempt 1).
 * A request that reached Telegram before the kill, whose answer was lost, would be sent again
 * on restart: delivery is at least once at that one point (README, queue.ts).
 */
import { Database } from 'bun:sqlite';
import { afterEach, expect, test } from 'bun:test';
import { join } from 'node:path';
import { DELIVER_JOB } from '../../src/modules/orders/deliver.ts';
import { startFakeNowPayments, type FakeNowPayments } from '../fakes/nowpayments.ts';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram.ts';
import { ADMIN_KEY, freePort, NP_KEY, NP_SECRET } from '../support/app.ts';
import { attachCourseFile, waitFor } from '../support/course-file.ts';
import { tempDir } from '../support/env.ts';
import { startGate, type Gate } from '../support/gate.ts';
import { mainEntry, startServer, type Server } from '../support/process.ts';

const TOKEN = '5550002:AAH-crash_safety_test_token';
const BUYERS = DELIVER_JOB.concurrency! + 1;

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serve(env: Record<string, string>): Promise<{ proc: Server; url: string }> {
  const server = await startServer([process.execPath, mainEntry, 'serve'], env);
  cleanups.push(async () => {
    server.proc.kill('SIGKILL');
    await server.proc.exited;
  });
  return server;
}

async function call(url: string, method: string, path: string, { key, body }: { key?: string; body?: unknown } = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (key) headers.authorization = `Bearer ${key}`;
  const response = await fetch(`${url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json() as Promise<Record<string, unknown>>;
}

test('SIGKILL between payment and delivery: after a restart every paid order is delivered exactly once', async () => {
  const dir = tempDir('techbot-crash-');
  cleanups.push(() => dir.cleanup());
  const provider: FakeNowPayments = await startFakeNowPayments({ apiKey: NP_KEY, ipnSecret: NP_SECRET });
  cleanups.push(() => provider.stop());
  const telegram: FakeTelegram = await startFakeTelegram({ token: TOKEN });
  cleanups.push(() => telegram.stop());
  const gate: Gate = startGate(telegram.apiRoot);
  cleanups.push(() => gate.stop());

  const port = await freePort();
  const env = {
    DATA_DIR: dir.path,
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    ADMIN_API_KEY: ADMIN_KEY,
    RATE_LIMIT_REQUESTS: '100000',
    NOWPAYMENTS_API_KEY: NP_KEY,
    NOWPAYMENTS_IPN_SECRET: NP_SECRET,
    NOWPAYMENTS_API_URL: provider.url,
    TELEGRAM_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: gate.url,
    JOB_LEASE_SECONDS: '1',
    LOG_LEVEL: 'info',
  };
  const first = await serve(env);

  // A seller, a product and its file (written the way the upload pipeline stores one).
  const seller = await call(first.url, 'POST', '/api/admin/api-keys', {
    key: ADMIN_KEY,
    body: { role: 'seller', seller_name: 'Ada' },
  });
  const product = await call(first.url, 'POST', '/api/products', {
    key: seller.key as string,
    body: {
      title: 'Bitcoin from zero',
      description: 'Wallets, fees and self-custody.',
      price_cents: 4900,
      category: 'finance-crypto',
    },
  });
  const db = new Database(join(dir.path, 'techbot.db'));
  cleanups.push(() => db.close());
  db.run('PRAGMA busy_timeout = 5000');
  const file = await attachCourseFile(dir.path, db, product.id as string);
  const count = (sql: string, ...params: string[]) => (db.query(sql).get(...params) as { n: number }).n;
  const deliverJobs = (status: string) =>
    count("SELECT count(*) AS n FROM jobs WHERE kind = 'deliver' AND status = ?", status);

  // Buyers pay; their deliveries reach the gate and wait there.
  gate.hold(/\/sendDocument$/);
  const chats = Array.from({ length: BUYERS }, (_, i) => 71_001 + i);
  const orderIds: string[] = [];
  for (const chat of chats) {
    const payment = await call(first.url, 'POST', '/api/payment', {
      body: { product_id: product.id, pay_currency: 'btc', telegram_user_id: chat },
    });
    expect(await provider.advance(payment.payment_id as string, 'finished')).toBe(200);
    orderIds.push(payment.order_id as string);
  }
  await waitFor('deliveries held at the gate', () => gate.held() === BUYERS - 1 && deliverJobs('ready') === 1);

  first.proc.kill('SIGKILL');
  await first.proc.exited;
  gate.drop();
  expect(deliverJobs('running')).toBe(BUYERS - 1);
  expect(deliverJobs('ready')).toBe(1);
  expect(count("SELECT count(*) AS n FROM orders WHERE status = 'paid'")).toBe(BUYERS);
  expect(telegram.calls('sendDocument')).toEqual([]);
  const unclaimed = db.query("SELECT unique_key FROM jobs WHERE kind = 'deliver' AND status = 'ready'").get() as {
    unique_key: string;
  };

  // Same DATA_DIR, same port: the restarted app finishes the work.
  await serve(env);
  await waitFor(
    'every order delivered',
    () => count("SELECT count(*) AS n FROM orders WHERE status = 'delivered'") === BUYERS,
    15_000,
  );
  // A job is done once its thank-you message is sent too, a moment after the order flips.
  await waitFor('every deliver job finished', () => deliverJobs('done') === BUYERS, 15_000);

  for (const chat of chats) {
    const documents = telegram.calls('sendDocument').filter((c) => String(c.params.chat_id) === String(chat));
    expect(documents).toHaveLength(1);
    expect(documents[0]!.response.ok).toBe(true);
  }
  expect(
    telegram
      .calls('sendDocument')
      .flatMap((c) => c.files)
      .every((f) => f.sha256 === file.sha256),
  ).toBe(true);
  const jobs = db.query("SELECT unique_key, status, attempts FROM jobs WHERE kind = 'deliver' ORDER BY id").all() as {
    unique_key: string;
    status: string;
    attempts: number;
  }[];
  expect(jobs.map((j) => j.status)).toEqual(Array(BUYERS).fill('done'));
  for (const job of jobs) expect(job.attempts).toBe(job.unique_key === unclaimed.unique_key ? 1 : 2);
  for (const orderId of orderIds) {
    expect(
      count("SELECT count(*) AS n FROM order_events WHERE order_id = ? AND to_status = 'delivered'", orderId),
    ).toBe(1);
  }
}, 60_000);
