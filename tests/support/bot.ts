/**
 * The bot alone, for the tests of its features: the real `createBot` over the real modules on
 * a fresh database (built by `createApp`, which is never started: no HTTP server, no job
 * worker), answered by the fake Telegram in process (tests/fakes/telegram/in-process.ts). A
 * simulated user's update goes straight to `bot.handleUpdate`; every outgoing call is recorded.
 * What crosses the faces (IPNs over HTTP, the job queue, restarts, the transports) is tested
 * on the whole app instead (tests/support/app.ts).
 */
import { createApp, type App } from '../../src/app.ts';
import { BROWSE_PRESSES_PER_MESSAGE, createBot } from '../../src/bot/bot.ts';
import { adminPorts } from '../../src/app/admin-ports.ts';
import { createDeliveredNotice } from '../../src/bot/features/delivered.ts';
import { saleNoticeSender } from '../../src/bot/keyboards/sale-notice.ts';
import type { Clock } from '../../src/lib/clock.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { createRateLimiter } from '../../src/lib/rate-limit.ts';
import { telegramClient } from '../../src/lib/telegram-grammy.ts';
import type { CreateProductInput } from '../../src/modules/catalog/model.ts';
import { createRedelivery } from '../../src/modules/files/redeliver.ts';
import { createTelegramDelivery } from '../../src/modules/files/telegram-delivery.ts';
import { createOrderJobs } from '../../src/modules/orders/deliver.ts';
import type { Principal } from '../../src/modules/users/model.ts';
import { startFakeNowPayments, type FakeNowPayments } from '../fakes/nowpayments.ts';
import { inProcessTelegram, type InProcessTelegram } from '../fakes/telegram/in-process.ts';
import { attachCourseFile, type CourseFile } from './course-file.ts';
import { migratedStore, writeMigratedDatabase } from './database.ts';
import { BOT_TOKEN, fakeClock, NP_KEY, NP_SECRET, tempDir, testConfig, type LogLine } from './env.ts';
import type { TelegramUser } from './telegram-user.ts';

export interface TestBotOptions {
  /** Settings on top of the test defaults (e.g. RATE_LIMIT_REQUESTS, NOWPAYMENTS_API_URL). */
  env?: Record<string, string>;
  /**
   * The database in a file under DATA_DIR, so `restart()` finds it again; otherwise in memory,
   * about three times faster per write.
   */
  durable?: boolean;
  /** Crypto payments through the fake NOWPayments (a real HTTP server, on the bot's clock). */
  nowpayments?: boolean | { minAmounts?: Record<string, number> };
}

export interface Owned {
  buyerId: number;
  orderId: string;
  /** The course file, when the product got one. */
  file?: CourseFile;
}

export interface TestBot {
  fake: InProcessTelegram;
  /** Present with `nowpayments`. */
  provider: FakeNowPayments;
  bot: ReturnType<typeof createBot>;
  /** The modules (app.users, app.orders...) and the store, for arranging and asserting. */
  app: App;
  clock: Clock & { advance(ms: number): void };
  /** Every JSON log line at info and above. */
  logs: LogLine[];
  /** A product on sale (a seller is made on first use of its name). */
  product(input?: Partial<CreateProductInput> & { seller?: string }): { id: string; title: string; seller_id: number };
  /** A product with a course file (random bytes, PDF). */
  course(
    input?: Partial<CreateProductInput> & { seller?: string },
  ): Promise<{ id: string; title: string; seller_id: number; file: CourseFile }>;
  /** Takes a product off sale. */
  removeProduct(id: string): void;
  /**
   * Makes a Telegram user own a product the way a payment does (an order moved to `paid`: the
   * entitlement, the ledger). With a file (the default) the course is attached and the deliver
   * job runs, so the user holds one copy and the thank-you.
   */
  own(user: TelegramUser, productId: string, options?: { file?: boolean }): Promise<Owned>;
  /** Runs the deliver job of a paid order, as the queue worker would (the file, the thank-you). */
  deliver(orderId: string): Promise<void>;
  /** A new app and bot on the same database and data directory, as after a restart (with `durable`). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

const PRICE_CENTS = 4900;
/** The same retries to NOWPayments, with waits of milliseconds (their lengths: tests/lib/http-client.test.ts). */
const SHORT_RETRIES = { retry: { retries: 2, minTimeoutMs: 1, maxTimeoutMs: 5 } };

export function createTestBot({ env = {}, durable = false, nowpayments }: TestBotOptions = {}): TestBot {
  const clock = fakeClock();
  const dir = tempDir('techbot-bot-');
  const logs: LogLine[] = [];
  const logger = createLogger({
    level: 'info',
    destination: { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) },
  });
  const np = nowpayments === true ? {} : nowpayments || undefined;
  const provider = np
    ? startFakeNowPayments({ apiKey: NP_KEY, ipnSecret: NP_SECRET, minAmounts: np.minAmounts, clock })
    : undefined;
  const config = testConfig(dir.path, {
    TELEGRAM_TOKEN: BOT_TOKEN,
    RATE_LIMIT_REQUESTS: '1000',
    // Course files are stored as they come: no upload worker thread per test bot (it starts on the
    // first compressible file, loads its own modules and runs at a lower priority). What the bot
    // does with a file does not depend on it; compression is tested in tests/files and on the whole app.
    COMPRESSION_LEVEL: '0',
    ...(provider
      ? { NOWPAYMENTS_API_KEY: NP_KEY, NOWPAYMENTS_IPN_SECRET: NP_SECRET, NOWPAYMENTS_API_URL: provider.url }
      : {}),
    ...env,
  });
  const fake = inProcessTelegram({ token: BOT_TOKEN, clock });

  /** The modules on the database under DATA_DIR, and the bot over them, wired as app.ts does. */
  function assemble() {
    const app = createApp({
      config,
      logger,
      clock,
      databasePath: durable ? undefined : ':memory:',
      store: durable ? undefined : migratedStore(),
      nowpaymentsHttp: SHORT_RETRIES,
    });
    const { db } = app.store;
    // Over lib/telegram's port, as app/telegram.ts hands it to the modules (refusals are TelegramApiError).
    const client = () => telegramClient(bot.api);
    const delivery = () => createTelegramDelivery({ telegram: client(), db, dataDir: config.dataDir, logger });
    const limits = { limit: config.rateLimit.requests, windowSeconds: config.rateLimit.windowSeconds, clock };
    const bot = createBot({
      config,
      catalog: app.catalog,
      users: app.users,
      orders: app.orders,
      checkout: app.checkout,
      stars: app.stars,
      redelivery: createRedelivery({
        catalog: app.catalog,
        downloads: app.downloads,
        orders: app.orders,
        logger,
        telegram: delivery,
      }),
      reviews: app.reviews,
      support: app.support,
      admin: app.admin,
      sellers: app.sellers,
      files: app.files,
      apiKeys: app.apiKeys,
      db,
      logger,
      metrics: app.metrics,
      clock,
      rateLimiter: createRateLimiter({ ...limits, name: 'bot' }),
      buttonLimiter: createRateLimiter({
        ...limits,
        limit: limits.limit * BROWSE_PRESSES_PER_MESSAGE,
        name: 'bot_buttons',
      }),
      // Under auto-retry, as the network is: a 429 from the fake is waited out and retried.
      apiTransformers: [fake.transformer],
      fetchFile: fake.fetchFile,
    });
    bot.botInfo = fake.botInfo;
    app.admin.connect(adminPorts({ api: bot.api, broadcastApi: bot.api, users: app.users }));
    fake.deliverTo((update) => bot.handleUpdate(update));
    const jobs = createOrderJobs({
      logger,
      orders: app.orders,
      users: app.users,
      catalog: app.catalog,
      downloads: app.downloads,
      telegram: delivery(),
      sendToTelegram: saleNoticeSender(client()),
      notifyDelivered: createDeliveredNotice({
        api: bot.api,
        db,
        clock,
        titleOf: (id) => app.catalog.productFile(id)?.title,
      }),
    });
    return { app, bot, jobs };
  }
  if (durable) writeMigratedDatabase(config.databasePath);
  let current = assemble();

  const sellers = new Map<string, Principal & { sellerId: number }>();
  function sellerFor(name: string) {
    let seller = sellers.get(name);
    if (!seller) {
      const created = current.app.apiKeys.create({ role: 'seller', seller_name: name });
      seller = { role: 'seller', keyId: created.id, sellerId: created.seller_id! };
      sellers.set(name, seller);
    }
    return seller;
  }
  let n = 0;
  /** Lets the bot finish, then closes what the app opened (the catalog's reader, files, queue, database). */
  async function close() {
    await fake.idle();
    await current.app.stop();
  }

  const kit: TestBot = {
    fake,
    get provider() {
      if (!provider) throw new Error('created without nowpayments');
      return provider;
    },
    get bot() {
      return current.bot;
    },
    get app() {
      return current.app;
    },
    clock,
    logs,
    product({ seller: name = 'Ada Academy', ...input } = {}) {
      const seller = sellerFor(name);
      const created = current.app.catalog.createProduct(seller, {
        title: `Course number ${++n}`,
        description: 'A practical course with exercises and examples.',
        price_cents: PRICE_CENTS,
        category: 'business',
        ...input,
      });
      // Lists sort by time: each product a second after the last.
      clock.advance(1000);
      return { id: created.id, title: created.title, seller_id: seller.sellerId };
    },
    async course(input) {
      const product = kit.product(input);
      const file = await attachCourseFile(config.dataDir, current.app.store.sqlite, product.id);
      return { ...product, file };
    },
    removeProduct(id) {
      current.app.catalog.deactivateProduct({ role: 'admin', keyId: 'env' }, id);
    },
    async own(user, productId, { file = true } = {}) {
      const { app } = current;
      const buyer = app.users.upsertTelegram({
        telegramId: user.id,
        firstName: user.user.first_name,
        languageCode: user.user.language_code,
      });
      const course = file ? await attachCourseFile(config.dataDir, app.store.sqlite, productId) : undefined;
      const { order } = app.orders.create({ buyerId: buyer.id, productId, method: 'crypto' });
      app.orders.transition(order.id, { to: 'paid', actor: 'test' });
      if (course) await kit.deliver(order.id);
      return { buyerId: buyer.id, orderId: order.id, file: course };
    },
    async deliver(orderId) {
      // What the queue worker would run for the order's `deliver` job (it reads no job details).
      await current.jobs.deliver({ orderId }, undefined as never);
    },
    async restart() {
      if (!durable) throw new Error('restart() needs createTestBot({ durable: true })');
      await close();
      current = assemble();
    },
    async stop() {
      await close();
      await provider?.stop();
      dir.cleanup();
    },
  };
  return kit;
}
