import { createApp, type App, type AppDeps } from '../../src/app.ts';
import type { Clock } from '../../src/lib/clock.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram.ts';
import { fakeClock } from '../support/app.ts';
import { tempDir, testConfig } from '../support/env.ts';
import { freePort } from '../support/shop.ts';

export const BOT_TOKEN = '123456:TEST-bot_token_for_the_bot_tests';
const ADMIN_KEY = 'admin-key-for-bot-tests-0123456789abcdef';

export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

export interface BotHarness {
  fake: FakeTelegram;
  app: App;
  url: string;
  clock: Clock & { advance(ms: number): void };
  /** Every JSON log line the app wrote. */
  logs: LogLine[];
  /** Creates a product through the HTTP API (a seller is made on first use). */
  product(input?: Partial<ProductInput>): Promise<{ id: string; title: string; seller_id: number }>;
  /** Takes a product off sale through the HTTP API. */
  removeProduct(id: string): Promise<void>;
  /** Stops the app and starts it again on the same data directory and fake Telegram. */
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

export interface HarnessOptions {
  env?: Record<string, string>;
  /** Webhook mode: PUBLIC_URL is this app's own address. */
  webhook?: boolean;
  /** Makes the fake misbehave before the app starts (refuse methods, go offline). */
  beforeStart?: (fake: FakeTelegram) => void | Promise<void>;
  /** The bot's backoff and sleep, e.g. short waits or a sleep the test steps through. */
  telegram?: AppDeps['telegram'];
}

/** The whole app in process, polling (or on a webhook from) the fake Telegram, on a temp database. */
export async function startBotApp({ env = {}, webhook = false, beforeStart, telegram }: HarnessOptions = {}): Promise<BotHarness> {
  const fake = await startFakeTelegram({ token: BOT_TOKEN });
  await beforeStart?.(fake);
  const dir = tempDir('techbot-bot-');
  const clock = fakeClock();
  const logs: LogLine[] = [];
  const port = webhook ? await freePort() : 0;
  const config = testConfig(dir.path, {
    ADMIN_API_KEY: ADMIN_KEY,
    TELEGRAM_TOKEN: BOT_TOKEN,
    TELEGRAM_API_ROOT: fake.apiRoot,
    RATE_LIMIT_REQUESTS: '1000',
    ...(webhook ? { PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` } : {}),
    ...env,
  });
  const logger = createLogger({
    level: 'debug',
    destination: { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) },
  });
  let app = createApp({ config, logger, clock, telegram });
  let url = `http://127.0.0.1:${await app.start()}`;
  const sellers = new Map<string, { key: string; id: number }>();

  const call = async (method: string, path: string, key: string, body?: unknown) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return response.json() as Promise<Record<string, unknown>>;
  };

  async function sellerFor(name: string) {
    let seller = sellers.get(name);
    if (!seller) {
      const created = await call('POST', '/api/admin/api-keys', ADMIN_KEY, { role: 'seller', seller_name: name });
      seller = { key: created.key as string, id: created.seller_id as number };
      sellers.set(name, seller);
    }
    return seller;
  }

  const ownerKeys = new Map<string, string>();
  let n = 0;
  const harness: BotHarness = {
    fake,
    get app() {
      return app;
    },
    get url() {
      return url;
    },
    clock,
    logs,
    async product(input = {}) {
      const seller = await sellerFor(input.seller ?? 'Ada Academy');
      n += 1;
      const body = {
        title: input.title ?? `Course number ${n}`,
        description: input.description ?? 'A practical course with exercises and examples.',
        price_cents: input.price_cents ?? 4900,
        category: input.category ?? 'business',
      };
      const created = await call('POST', '/api/products', seller.key, body);
      clock.advance(1000);
      ownerKeys.set(created.id as string, seller.key);
      return { id: created.id as string, title: body.title, seller_id: seller.id };
    },
    async removeProduct(id) {
      await call('DELETE', `/api/products/${id}`, ownerKeys.get(id) ?? ADMIN_KEY);
    },
    async restart() {
      await app.stop();
      app = createApp({ config, logger, clock, telegram });
      url = `http://127.0.0.1:${await app.start()}`;
    },
    async stop() {
      await app.stop();
      await fake.stop();
      dir.cleanup();
    },
  };
  return harness;
}

/** Waits until `check` holds, looking every few milliseconds; fails after `timeoutMs`. */
export async function eventually(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(5);
  }
}

/** Resolves once the bot has finished handling the update (its "telegram update" log line is written last). */
export function handled(h: Pick<BotHarness, 'logs'>, updateId: number, timeoutMs = 5000): Promise<void> {
  return eventually(() => h.logs.some((line) => line.msg === 'telegram update' && line.update_id === updateId), `update ${updateId} handled`, timeoutMs);
}

/** The id of the last update the fake queued (what the user just did). */
export const lastUpdateId = (h: Pick<BotHarness, 'fake'>) => h.fake.updates().at(-1)!.update.update_id as number;
