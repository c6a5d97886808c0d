import type { createBot } from './bot/bot.ts';
import type { BotStatus } from './bot/status.ts';
import type { BotTransportOptions, createBotTransport } from './bot/transport.ts';
import { WEBHOOK_PATH } from './bot/webhook-path.ts';
import { disabledIntegrations, type Config } from './config.ts';
import type { ComponentState } from './http/routes/health.ts';
import { createHttpServer } from './http/server.ts';
import { createCache } from './lib/cache.ts';
import { systemClock, type Clock } from './lib/clock.ts';
import { createHttpClient, type HttpClientOptions } from './lib/http-client.ts';
import type { Logger } from './lib/logger.ts';
import { createMetrics } from './lib/metrics.ts';
import { createQueue } from './lib/queue.ts';
import { createRateLimiter } from './lib/rate-limit.ts';
import { createAdminModule } from './modules/admin/index.ts';
import { createCatalogModeration } from './modules/catalog/moderation.ts';
import { createUserModeration } from './modules/users/moderation.ts';
import { createSellerSuspension } from './modules/sellers/suspension.ts';
import { createUserStats } from './modules/users/stats.ts';
import { createAudience } from './modules/users/audience.ts';
import { createOrderStats } from './modules/orders/stats.ts';
import { createSupportInbox } from './modules/support/inbox.ts';
import { createReviews } from './modules/catalog/reviews.ts';
import { createCatalog } from './modules/catalog/service.ts';
import { loadDownloadSecret } from './modules/files/download-token.ts';
import { createDownloads } from './modules/files/downloads.ts';
import { createFileMetrics } from './modules/files/metrics.ts';
import { createRedelivery } from './modules/files/redeliver.ts';
import { createFiles } from './modules/files/service.ts';
import { DELIVER_JOB } from './modules/orders/job-options.ts';
import { createOrders } from './modules/orders/service.ts';
import { createCheckout } from './modules/payments/checkout.ts';
import { createNowPaymentsClient } from './modules/payments/nowpayments/client.ts';
import { createPayments } from './modules/payments/service.ts';
import { createStars } from './modules/payments/stars.ts';
import { createSellersModule } from './modules/sellers/index.ts';
import { createSupport } from './modules/support/service.ts';
import { createApiKeys } from './modules/users/api-keys.ts';
import { createUsers } from './modules/users/service.ts';
import { openStore } from './store/database.ts';
import { isMigrated, migrate } from './store/migrate.ts';
import { version } from './version.ts';

export interface AppDeps {
  config: Config;
  logger: Logger;
  clock?: Clock;
  /** Defaults to the file under DATA_DIR; tests may pass ':memory:'. */
  databasePath?: string;
  /**
   * Overrides of the NOWPayments client's per-attempt timeout, retry backoff and circuit breaker.
   * The defaults suit production; tests shorten them to reach a timeout or a breaker reset quickly.
   */
  nowpaymentsHttp?: Partial<Pick<HttpClientOptions, 'timeoutMs' | 'retry' | 'breaker'>>;
  /** Overrides of the bot's waits between attempts to reach the Bot API (tests shorten them). */
  telegram?: Pick<BotTransportOptions, 'connectBackoff' | 'profileBackoff' | 'sleep'>;
}

/** Entries kept by the catalog cache; list pages are small, 10k of them is a few tens of MB at most. */
const CATALOG_CACHE_ENTRIES = 10_000;
const PAYMENT_WINDOW_MS = 60 * 60_000;
const RECONCILE_EVERY_MS = 60_000;
const NOWPAYMENTS_TIMEOUT_MS = 15_000;
/**
 * A bot that cannot reach Telegram for longer than this fails `/ready` (503); shorter outages
 * (a Bot API restart, a deploy of the local Bot API server) are shown but do not fail it.
 */
export const TELEGRAM_DOWN_GRACE_MS = 60_000;

/** Composition root: builds every piece from the config and wires them together. */
export function createApp({
  config,
  logger,
  clock = systemClock,
  databasePath,
  nowpaymentsHttp: nowpaymentsOverrides,
  telegram: telegramOverrides,
}: AppDeps) {
  const store = openStore(databasePath ?? config.databasePath);
  const applied = migrate(store.db);
  if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated');
  const { db } = store;

  const metrics = createMetrics({ version });
  const cache = createCache<string>({
    name: 'catalog',
    ttlSeconds: config.cacheTtlSeconds,
    maxEntries: CATALOG_CACHE_ENTRIES,
    metrics,
    clock,
  });
  const queue = createQueue({ db, clock, logger, registry: metrics.registry, leaseMs: config.jobs.leaseMs });
  const catalog = createCatalog({ db, cache, clock, storeCurrency: config.storeCurrency, timed: metrics.timed });
  const apiKeys = createApiKeys({ db, clock, adminApiKey: config.admin.apiKey });
  const users = createUsers({ db, clock });
  const orders = createOrders({
    db,
    clock,
    jobs: queue,
    feePercent: config.platformFeePercent,
    paymentWindowMs: PAYMENT_WINDOW_MS,
  });
  const nowpaymentsHttp = config.nowpayments.apiKey
    ? createHttpClient({
        upstream: 'nowpayments',
        baseUrl: config.nowpayments.apiUrl,
        timeoutMs: nowpaymentsOverrides?.timeoutMs ?? NOWPAYMENTS_TIMEOUT_MS,
        retry: nowpaymentsOverrides?.retry,
        breaker: nowpaymentsOverrides?.breaker,
        maxConcurrent: config.maxConnections,
        clock,
        registry: metrics.registry,
        defaultHeaders: { 'x-api-key': config.nowpayments.apiKey },
      })
    : undefined;
  const payments = createPayments({
    db,
    clock,
    orders,
    users,
    logger,
    nowpayments: nowpaymentsHttp && createNowPaymentsClient({ http: nowpaymentsHttp, cache }),
    ipnSecret: config.nowpayments.ipnSecret,
    publicUrl: config.http.publicUrl,
  });

  const fileMetrics = createFileMetrics(metrics.registry);
  const files = createFiles({
    db,
    clock,
    logger,
    dataDir: config.dataDir,
    maxFileSizeBytes: config.maxFileSizeBytes,
    compressionLevel: config.files.compressionLevel,
    metrics: fileMetrics,
    publicUrl: config.http.publicUrl,
  });
  const downloads = createDownloads({
    db,
    clock,
    logger,
    dataDir: config.dataDir,
    secret: loadDownloadSecret(config.dataDir, config.files.downloadSecret),
    limitPerDay: config.files.downloadLimitPerDay,
    linkTtlMs: config.files.downloadLinkTtlMs,
    publicUrl: config.http.publicUrl,
    owns: orders.owns,
    metrics: fileMetrics,
  });

  const reviews = createReviews({ db, clock, owns: orders.owns, invalidate: catalog.invalidateProduct });
  const support = createSupport({ db, clock, orders });
  // sellers (issue 13): profiles, balances from the orders ledger, payouts.
  const sellers = createSellersModule({
    db,
    clock,
    registry: metrics.registry,
    orders,
    catalog,
    storeCurrency: config.storeCurrency,
    payoutMinCents: config.payoutMinCents,
  });
  const stars = createStars({ db, clock, logger, orders, users, catalog, starsPerUsd: config.stars.perUsd });
  // admin: the operator's module (audit, refunds, moderation); its ports are set once the bot exists.
  const admin = createAdminModule({
    db,
    clock,
    logger,
    registry: metrics.registry,
    adminTelegramIds: config.admin.telegramIds,
    orders,
    stars,
    users,
    catalog,
    catalogModeration: createCatalogModeration({ db, clock, invalidate: catalog.invalidateProduct }),
    userModeration: createUserModeration({ db, clock }),
    sellerSuspension: createSellerSuspension({ db, clock }),
    sellers,
    orderStats: createOrderStats({ db }),
    userStats: createUserStats({ db }),
    inbox: createSupportInbox({ db, clock }),
    deadJobs: () => queue.stats().byStatus.dead,
    flaggedPayments: () => payments.flaggedEvents(1000).length,
    audience: createAudience({ db }),
    jobs: queue,
  });
  admin.registerJobs(queue);

  /**
   * The delivery jobs, built on first use: with TELEGRAM_TOKEN they send through the bot's API
   * (auto-retry waits out Telegram's flood limits), and grammY is only loaded when needed.
   */
  let orderJobs: ReturnType<typeof loadOrderJobs> | undefined;
  async function loadOrderJobs() {
    const { createOrderJobs } = await import('./modules/orders/deliver.ts');
    const api = config.telegram.token ? (telegram?.bot.api ?? (await plainTelegramApi(config.telegram.token, config.telegram.apiRoot))) : undefined;
    const { createTelegramDelivery } = await import('./modules/files/telegram-delivery.ts');
    return createOrderJobs({
      logger,
      orders,
      users,
      catalog,
      downloads,
      telegram: api && createTelegramDelivery({ api, db, dataDir: config.dataDir, logger }),
      sendToTelegram: api && ((chatId: number, text: string) => api.sendMessage(chatId, text)),
      // buy: the thank-you with "leave a review", in the buyer's language (bot/features/delivered.ts).
      notifyDelivered:
        api &&
        (await import('./bot/features/delivered.ts')).createDeliveredNotice({
          api,
          db,
          clock,
          titleOf: (productId) => catalog.productFile(productId)?.title,
        }),
    });
  }
  const jobs = () => (orderJobs ??= loadOrderJobs());
  queue.register('deliver', async (payload, job) => (await jobs()).deliver(payload, job), DELIVER_JOB);
  queue.register('notify-sale', async (payload, job) => (await jobs()).notifySale(payload, job));
  queue.register('reconcile-payments', () => payments.reconcile());
  queue.register('expire-orders', () => orders.expireDue());

  const readiness = (): Record<string, ComponentState> => ({
    database: isMigrated(db) ? { status: 'up' } : { status: 'down', detail: 'migrations pending' },
    telegram: config.telegram.token ? botReadiness(telegram?.transport.status() ?? botFailure, clock.now()) : { status: 'disabled' },
    nowpayments: nowpaymentsHttp
      ? { status: nowpaymentsHttp.state() === 'open' ? 'down' : 'up', detail: `circuit ${nowpaymentsHttp.state()}` }
      : { status: 'disabled' },
    smtp: config.smtp.server ? { status: 'up' } : { status: 'disabled' },
  });

  const limits = { limit: config.rateLimit.requests, windowSeconds: config.rateLimit.windowSeconds, clock };
  const stricter = (name: string) => createRateLimiter({ ...limits, limit: Math.max(1, Math.ceil(limits.limit / 3)), name });
  const http = createHttpServer({
    logger,
    metrics,
    version,
    publicUrl: config.http.publicUrl,
    readiness,
    // Bun's own limit answers with an empty 413; the upload route enforces MAX_FILE_SIZE_MB
    // while streaming (JSON 413) and the body-limit plugin caps every other route.
    maxRequestBodySize: Number.MAX_SAFE_INTEGER,
    rateLimit: {
      limiter: createRateLimiter({ ...limits, name: 'api' }),
      // Searches and payment creation cost more than a page read: a third of the budget each.
      named: [
        {
          limiter: stricter('search'),
          applies: (method, route, url) => method === 'GET' && route === '/api/products' && url.searchParams.has('q'),
        },
        { limiter: stricter('payment'), applies: (method, route) => method === 'POST' && route === '/api/payment' },
      ],
    },
    catalog,
    apiKeys,
    orders,
    payments,
    downloads,
    files,
    admin,
    sellers,
  });
  /**
   * The Telegram face (TELEGRAM_TOKEN set): long polling, or a webhook on this HTTP server when
   * PUBLIC_URL is set. bot/ and http/ never import each other; they meet here. The bot is loaded
   * on start, and only with a token: building its handlers costs ~300 ms that an API-only
   * marketplace should not pay at every start.
   */
  let telegram: { bot: ReturnType<typeof createBot>; transport: ReturnType<typeof createBotTransport> } | undefined;
  /** The bot's state until its transport exists: starting, or down when building it failed. */
  let botFailure: BotStatus = { state: 'starting', since: clock.now(), setup: {} };
  async function startTelegram() {
    if (!config.telegram.token) return;
    const [{ createBot, BROWSE_PRESSES_PER_MESSAGE }, { createBotTransport }] = await Promise.all([import('./bot/bot.ts'), import('./bot/transport.ts')]);
    const { createTelegramDelivery } = await import('./modules/files/telegram-delivery.ts');
    const bot = createBot({
      config,
      catalog,
      users,
      orders,
      checkout: createCheckout({ payments, stars, orders, catalog, clock }),
      stars,
      // "Download again" goes out over the bot's own Api (plain text, auto-retry), like a delivery.
      redelivery: createRedelivery({
        catalog,
        downloads,
        orders,
        logger,
        telegram: () => telegram && createTelegramDelivery({ api: telegram.bot.api, db, dataDir: config.dataDir, logger }),
      }),
      reviews,
      support,
      admin,
      sellers,
      files,
      db,
      logger,
      metrics,
      clock,
      rateLimiter: createRateLimiter({ ...limits, name: 'bot' }),
      buttonLimiter: createRateLimiter({ ...limits, limit: limits.limit * BROWSE_PRESSES_PER_MESSAGE, name: 'bot_buttons' }),
    });
    const transport = createBotTransport(bot, {
      ...telegramOverrides,
      token: config.telegram.token,
      publicUrl: config.http.publicUrl,
      logger,
      clock,
    });
    telegram = { bot, transport };
    const { createUserNotifier } = await import('./bot/notify-user.ts');
    admin.connect({
      notify: createUserNotifier({ api: bot.api, users }),
      refundStars: (userId, chargeId) => bot.api.refundStarPayment(userId, chargeId),
      // A plain Api (no auto-retry): the broadcast waits out 429s and paces sends itself.
      broadcast: (await import('./bot/broadcast-port.ts')).createBroadcastPorts({ api: await plainTelegramApi(config.telegram.token, config.telegram.apiRoot), users }),
    });
    await telegram.transport.start();
  }
  if (config.telegram.token && config.http.publicUrl) {
    // Mounted before listening; until the bot has started, Telegram is asked to come back later.
    http.post(
      WEBHOOK_PATH,
      ({ request }) => (telegram ? telegram.transport.webhook(request) : new Response(null, { status: 503 })),
      { parse: 'none', detail: { hide: true } },
    );
  }
  let stopping: Promise<void> | undefined;

  return {
    store,
    http,
    metrics,
    queue,
    catalog,
    apiKeys,
    users,
    orders,
    payments,
    downloads,
    files,
    reviews,
    support,
    stars,
    admin,
    sellers,
    get bot() {
      return telegram?.bot;
    },
    get botTransport() {
      return telegram?.transport;
    },
    /** Listens on the configured host and port (0 = any free port), starts the job worker. Returns the port. */
    async start(): Promise<number> {
      http.listen({ port: config.http.port, hostname: config.http.host });
      const port = http.server?.port ?? config.http.port;
      queue.schedule('reconcile-payments', RECONCILE_EVERY_MS);
      queue.schedule('expire-orders', RECONCILE_EVERY_MS);
      // After the server listens: Telegram may call the webhook as soon as it is registered.
      // Resolves once the bot is up or its first attempt failed; it keeps trying in the background.
      await startTelegram().catch((error: unknown) => {
        botFailure = { state: 'down', since: clock.now(), detail: `the bot could not be built: ${String(error)}`, setup: {} };
        logger.error({ err: error }, 'telegram bot failed to start');
      });
      // After the bot: deliveries then go through its API.
      queue.start();
      const off = disabledIntegrations(config);
      if (off.length > 0) logger.info({ disabled: off }, `integrations disabled: ${off.join('; ')}`);
      logger.info({ host: config.http.host, port, database: databasePath ?? config.databasePath }, 'listening');
      return port;
    },
    /** Stops accepting, lets in-flight requests and jobs finish, closes the database. Idempotent. */
    stop(): Promise<void> {
      stopping ??= (async () => {
        await telegram?.transport.stop();
        await http.stop();
        files.close();
        await queue.stop();
        nowpaymentsHttp?.close();
        store.close();
        logger.info('stopped');
      })();
      return stopping;
    },
  };
}

export type App = ReturnType<typeof createApp>;

/** The bot's state as a `/ready` component; down fails readiness only after the grace period. */
function botReadiness({ state, since, detail, setup }: BotStatus, now: number): ComponentState {
  const failing = Object.entries(setup).map(([call, error]) => `${call}: ${error}`);
  const text = [detail, ...(failing.length > 0 ? [`profile not set (retried later): ${failing.join('; ')}`] : [])].join('; ');
  return {
    status: state,
    since: new Date(since).toISOString(),
    ...(text ? { detail: text } : {}),
    ...(state === 'down' && now - since < TELEGRAM_DOWN_GRACE_MS ? { grace: true } : {}),
  };
}

/** A Bot API client for jobs when the bot itself did not start. */
async function plainTelegramApi(token: string, apiRoot: string) {
  const { Api } = await import('grammy');
  return new Api(token, { apiRoot });
}
