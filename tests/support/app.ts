/**
 * The whole app in process (`createApp`, started on a free port and a temp database), with the
 * fake Telegram and the fake NOWPayments as real HTTP servers when asked for: the harness of
 * every test of what crosses the faces (HTTP routes, IPNs, jobs, the bot's transports,
 * restarts). The bot's features alone are tested through tests/support/bot.ts.
 */
import { dirname } from 'node:path';
import { createApp, type App, type AppDeps } from '../../src/app.ts';
import type { Clock } from '../../src/lib/clock.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { IPN_PATH } from '../../src/http/routes/payments.ts';
import type { FakeSmtp } from '../fakes/smtp.ts';
import { startFakeNowPayments, type FakeNowPayments, type FakePayment } from '../fakes/nowpayments.ts';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram.ts';
import { attachCourseFile, type CourseFile } from './course-file.ts';
import { writeMigratedDatabase } from './database.ts';
import { BOT_TOKEN, fakeClock, NP_KEY, NP_SECRET, tempDir, testConfig, type LogLine, type TestClock } from './env.ts';
import { startHoldingProxy, type HoldingProxy } from './holding-proxy.ts';

// Kept in env.ts, which the in-process bot tests load without this file's servers and their libraries.
export { BOT_TOKEN, fakeClock, NP_KEY, NP_SECRET, type LogLine, type TestClock } from './env.ts';
export const ADMIN_KEY = 'admin-key-for-tests-0123456789abcdef';
export const SMTP_AUTH = { user: 'shop@techbot.test', password: 'smtp-test-password' };

/** A port nobody listens on right now, so the app's PUBLIC_URL can be known before it starts. */
export async function freePort(): Promise<number> {
  const probe = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => new Response() });
  const port = probe.port!;
  await probe.stop(true);
  return port;
}

export interface TestAppOptions {
  /** The bot on: it polls the fake Telegram, or gets a webhook when `publicUrl` is set. */
  telegram?:
    | boolean
    | {
        /** Makes the fake misbehave before the app starts (refuse methods, go offline). */
        beforeStart?: (fake: FakeTelegram) => void | Promise<void>;
        /** The bot's backoff and sleep, e.g. short waits or a sleep the test steps through. */
        transport?: AppDeps['telegram'];
      };
  /** Crypto payments through the fake NOWPayments (on the app's clock). */
  nowpayments?: boolean | { minAmounts?: Record<string, number>; proxy?: boolean };
  /** PUBLIC_URL is the app's own address: IPN callbacks, download links, the bot's webhook. */
  publicUrl?: boolean;
  /** E-mail through a real SMTP server on 127.0.0.1 (STARTTLS on a self-signed certificate, AUTH). */
  smtp?: boolean;
  /** Settings on top of the test defaults. */
  env?: Record<string, string>;
  /** Default: real time; with the bot on, a fake clock. */
  clock?: Clock;
  /** Handed to createApp, e.g. `{ nowpaymentsHttp: { timeoutMs: 200 } }`. */
  app?: Omit<AppDeps, 'config' | 'logger' | 'clock' | 'telegram'>;
}

export interface TestApp {
  app: App;
  url: string;
  /** Its DATA_DIR (a temp directory). */
  dataDir: string;
  /** The app's clock; `advance` only when it is a fake one. */
  clock: TestClock;
  /** Present with `telegram`. */
  fake: FakeTelegram;
  /** Present with `nowpayments`. */
  provider: FakeNowPayments;
  /** Present with `smtp`; `smtpDown()` / `smtpUp()` stop it and start it again on the same port. */
  smtp: FakeSmtp;
  smtpDown(): Promise<void>;
  smtpUp(): Promise<FakeSmtp>;
  /** Between the app and the fake NOWPayments, with `nowpayments: { proxy: true }`. */
  proxy?: HoldingProxy;
  /** Every JSON log line the app wrote (at debug level with the bot on, else warnings and up). */
  logs: LogLine[];
  /** fetch relative to the app, JSON body and bearer key made easy. */
  call(method: string, path: string, options?: { key?: string; body?: unknown }): Promise<Response>;
  /** A seller and its API key, through the admin API (made once per name). */
  sellerKey(name?: string): Promise<{ key: string; sellerId: number }>;
  /** A product on sale, through the HTTP API. */
  product(
    input?: Partial<ProductInput>,
  ): Promise<{ id: string; title: string; seller_id: number; price_cents: number }>;
  /** A product with a real course file (random bytes, PDF). */
  course(input?: Partial<ProductInput>): Promise<{ id: string; title: string; file: CourseFile }>;
  removeProduct(id: string): Promise<void>;
  /** The app's IPN route (IPNs posted there whatever PUBLIC_URL says). */
  ipnUrl(): string;
  /** The provider's payment for an order. */
  paymentOf(orderId: string): FakePayment;
  /** SQL counts the assertions care about. */
  count(
    table: 'entitlements' | 'ledger_entries' | 'payment_events' | 'order_events' | 'payments' | 'orders',
    where?: string,
  ): number;
  deliverJobs(): number;
  orderStatus(orderId: string): string;
  /** Stops the app and starts it again on the same data directory and fakes. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

interface ProductInput {
  title: string;
  description: string;
  price_cents: number;
  category: string;
  seller: string;
}

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const bot = options.telegram === true ? {} : options.telegram || undefined;
  const np = options.nowpayments === true ? {} : options.nowpayments || undefined;
  const clock = options.clock ?? (bot ? fakeClock() : undefined);
  const fake = bot ? await startFakeTelegram({ token: BOT_TOKEN }) : undefined;
  if (fake) await bot?.beforeStart?.(fake);
  const provider = np
    ? startFakeNowPayments({ apiKey: NP_KEY, ipnSecret: NP_SECRET, minAmounts: np.minAmounts, clock })
    : undefined;
  const proxy = provider && np?.proxy ? startHoldingProxy(provider.url) : undefined;
  const port = options.publicUrl ? await freePort() : 0;
  // Loaded only here: the SMTP server and mail parser take ~90 ms to load, which apps without e-mail skip.
  const { startFakeSmtp, testCertificate } = options.smtp ? await import('../fakes/smtp.ts') : {};
  const certificate = testCertificate?.();
  if (options.smtp && !certificate) throw new Error('smtp tests need openssl on PATH');
  const smtpOptions = { mode: 'starttls' as const, auth: SMTP_AUTH, certificate: certificate ?? undefined };
  let smtp = await startFakeSmtp?.(smtpOptions);
  const dir = tempDir();
  const config = testConfig(dir.path, {
    ADMIN_API_KEY: ADMIN_KEY,
    RATE_LIMIT_REQUESTS: bot ? '1000' : '100000',
    ...(port ? { PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` } : {}),
    ...(fake ? { TELEGRAM_TOKEN: BOT_TOKEN, TELEGRAM_API_ROOT: fake.apiRoot } : {}),
    ...(provider
      ? {
          NOWPAYMENTS_API_KEY: NP_KEY,
          NOWPAYMENTS_IPN_SECRET: NP_SECRET,
          NOWPAYMENTS_API_URL: proxy?.url ?? provider.url,
        }
      : {}),
    ...(smtp
      ? {
          SMTP_SERVER: smtp.host,
          SMTP_PORT: String(smtp.port),
          SMTP_EMAIL: SMTP_AUTH.user,
          SMTP_PASSWORD: SMTP_AUTH.password,
          SMTP_FROM: 'TechBot Shop <shop@techbot.test>',
          ADMIN_EMAIL: 'admin@techbot.test',
        }
      : {}),
    ...options.env,
  });
  const logs: LogLine[] = [];
  const logger = createLogger({
    level: bot ? 'debug' : 'warn',
    destination: { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) },
  });
  const build = () =>
    createApp({
      ...options.app,
      config,
      logger,
      clock,
      telegram: bot?.transport,
      smtpTls: certificate ? { ca: certificate.cert } : undefined,
    });
  writeMigratedDatabase(config.databasePath);
  let app = build();
  let url = `http://127.0.0.1:${await app.start()}`;

  const call: TestApp['call'] = (method, path, { key, body } = {}) => {
    const headers: Record<string, string> = {};
    if (key) headers.authorization = `Bearer ${key}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    return fetch(`${url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  };
  const json = async (method: string, path: string, key: string, body?: unknown) => {
    const response = await call(method, path, { key, body });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return response.json() as Promise<Record<string, unknown>>;
  };
  const sellers = new Map<string, Promise<{ key: string; sellerId: number }>>();
  const owners = new Map<string, string>();
  const sqlite = () => app.store.sqlite;
  const count = (table: string, where = '1') =>
    (sqlite().query(`SELECT count(*) AS n FROM ${table} WHERE ${where}`).get() as { n: number }).n;
  let n = 0;

  const running: TestApp = {
    get app() {
      return app;
    },
    get url() {
      return url;
    },
    dataDir: dir.path,
    clock: {
      now: () => (clock ?? Date).now(),
      advance(ms) {
        if (!clock || !('advance' in clock))
          throw new Error('the app runs on real time: pass a fakeClock() to move it');
        (clock as TestClock).advance(ms);
      },
    },
    get fake() {
      if (!fake) throw new Error('started without telegram');
      return fake;
    },
    get provider() {
      if (!provider) throw new Error('started without nowpayments');
      return provider;
    },
    get smtp() {
      if (!smtp) throw new Error('started without smtp');
      return smtp;
    },
    async smtpDown() {
      await running.smtp.stop();
    },
    async smtpUp() {
      const previous = running.smtp;
      smtp = await startFakeSmtp!({ ...smtpOptions, port: previous.port });
      return smtp;
    },
    proxy,
    logs,
    call,
    sellerKey(name = 'Ada Academy') {
      let seller = sellers.get(name);
      if (!seller) {
        seller = json('POST', '/api/admin/api-keys', ADMIN_KEY, { role: 'seller', seller_name: name }).then(
          (created) => ({
            key: created.key as string,
            sellerId: created.seller_id as number,
          }),
        );
        sellers.set(name, seller);
      }
      return seller;
    },
    async product(input = {}) {
      const seller = await running.sellerKey(input.seller);
      const body = {
        title: input.title ?? `Course number ${++n}`,
        description: input.description ?? 'A practical course with exercises and examples.',
        price_cents: input.price_cents ?? 4900,
        category: input.category ?? 'business',
      };
      const created = await json('POST', '/api/products', seller.key, body);
      // Lists sort by time: on a fake clock, each product a second after the last.
      if (clock && 'advance' in clock) (clock as TestClock).advance(1000);
      owners.set(created.id as string, seller.key);
      return {
        id: created.id as string,
        title: body.title,
        seller_id: seller.sellerId,
        price_cents: created.price_cents as number,
      };
    },
    async course(input) {
      const product = await running.product(input);
      const file = await attachCourseFile(dirname(sqlite().filename), sqlite(), product.id);
      return { id: product.id, title: product.title, file };
    },
    async removeProduct(id) {
      await json('DELETE', `/api/products/${id}`, owners.get(id) ?? ADMIN_KEY);
    },
    ipnUrl: () => `${url}${IPN_PATH}`,
    paymentOf(orderId) {
      const found = running.provider.payments().find((p) => p.order_id === orderId);
      if (!found) throw new Error(`the provider has no payment for ${orderId}`);
      return found;
    },
    count,
    deliverJobs: () => count('jobs', "kind = 'deliver'"),
    orderStatus: (orderId) =>
      (sqlite().query('SELECT status FROM orders WHERE id = ?').get(orderId) as { status: string }).status,
    async restart() {
      await app.stop();
      app = build();
      url = `http://127.0.0.1:${await app.start()}`;
    },
    async stop() {
      await app.stop();
      await proxy?.stop();
      await provider?.stop();
      await smtp?.stop().catch(() => {});
      await fake?.stop();
      dir.cleanup();
    },
  };
  return running;
}

export interface Shop extends TestApp {
  productId: string;
  priceCents: number;
}

/**
 * What most payment tests start from: the app with crypto payments through the fake
 * NOWPayments, PUBLIC_URL set (IPN callbacks), and one course on sale at $49.00.
 */
export async function startShop(options: TestAppOptions = {}): Promise<Shop> {
  // With e-mail: POST /api/payment with an e-mail (the default buyer of `buy`) needs it.
  const running = await startTestApp({ nowpayments: true, publicUrl: true, smtp: true, ...options });
  const product = await running.product({
    title: 'Bitcoin from zero',
    description: 'Wallets, fees and self-custody.',
    price_cents: 4900,
    category: 'finance-crypto',
  });
  return Object.assign(running, { productId: product.id, priceCents: product.price_cents });
}

export interface StartedPayment {
  payment_id: string;
  order_id: string;
  status: string;
  pay_address: string;
  pay_amount: string;
  /** Opens GET /api/orders/{id}. */
  order_token: string;
}

/** POST /api/payment for the shop's course (default: BTC, an e-mail buyer). */
export async function buy(shop: Shop, body: Record<string, unknown> = {}): Promise<StartedPayment> {
  const response = await shop.call('POST', '/api/payment', {
    body: { product_id: shop.productId, pay_currency: 'btc', email: 'buyer@example.com', ...body },
  });
  if (response.status !== 201) throw new Error(`POST /api/payment: ${response.status} ${await response.text()}`);
  return (await response.json()) as StartedPayment;
}

/** Waits until `check` holds, looking every few milliseconds; fails after `timeoutMs`. */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(5);
  }
}

/** Resolves once the bot has finished handling the update (its "telegram update" log line is written last). */
export function handled(running: Pick<TestApp, 'logs'>, updateId: number, timeoutMs = 5000): Promise<void> {
  return eventually(
    () => running.logs.some((line) => line.msg === 'telegram update' && line.update_id === updateId),
    `update ${updateId} handled`,
    timeoutMs,
  );
}

/** The id of the last update the fake queued (what the user just did). */
export const lastUpdateId = (running: Pick<TestApp, 'fake'>) =>
  running.fake.updates().at(-1)!.update.update_id as number;
