import type { createBot } from '../bot/bot.ts';
import type { BotStatus } from '../bot/status.ts';
import type { BotTransportOptions, createBotTransport } from '../bot/transport.ts';
import { WEBHOOK_PATH } from '../bot/webhook-path.ts';
import type { Config } from '../config.ts';
import type { ComponentState } from '../http/routes/health.ts';
import type { HttpServer } from '../http/server.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import type { TelegramClient } from '../lib/telegram.ts';
import type { Metrics } from '../lib/metrics.ts';
import type { Admin } from '../modules/admin/index.ts';
import type { LimiterFactory } from '../lib/rate-limit.ts';
import type { Reviews } from '../modules/catalog/reviews.ts';
import type { Catalog } from '../modules/catalog/service.ts';
import type { Downloads } from '../modules/files/downloads.ts';
import { createRedelivery } from '../modules/files/redeliver.ts';
import type { Files } from '../modules/files/service.ts';
import type { TelegramDelivery } from '../modules/files/telegram-delivery.ts';
import type { DeliveryChannels } from '../modules/orders/index.ts';
import type { Orders } from '../modules/orders/service.ts';
import type { Checkout } from '../modules/payments/checkout.ts';
import type { Stars } from '../modules/payments/stars.ts';
import type { Sellers } from '../modules/sellers/index.ts';
import type { Support } from '../modules/support/service.ts';
import type { ApiKeys } from '../modules/users/api-keys.ts';
import type { Users } from '../modules/users/service.ts';
import type { Db } from '../store/database.ts';

/**
 * A bot that cannot reach Telegram for longer than this fails `/ready` (503); shorter outages
 * (a Bot API restart, a deploy of the local Bot API server) are shown but do not fail it.
 */
export const TELEGRAM_DOWN_GRACE_MS = 60_000;

export interface TelegramFaceDeps {
  config: Config;
  logger: Logger;
  clock: Clock;
  db: Db;
  metrics: Metrics;
  /** Overrides of the bot's waits between attempts to reach the Bot API (tests shorten them). */
  overrides?: Pick<BotTransportOptions, 'connectBackoff' | 'profileBackoff' | 'sleep'>;
  services: {
    catalog: Catalog;
    users: Users;
    orders: Orders;
    checkout: Checkout;
    stars: Stars;
    reviews: Reviews;
    support: Support;
    downloads: Downloads;
    sellers: Sellers;
    files: Files;
    apiKeys: ApiKeys;
    admin: Admin;
  };
  /** The files module's delivery of course files into chats, over a Telegram client. */
  telegramDelivery: (telegram: TelegramClient) => TelegramDelivery;
  /** The bot's per-user limits: shared through Redis when REDIS_URL is set. */
  limiters: LimiterFactory;
}

/**
 * The Telegram face (TELEGRAM_TOKEN set), wired to the modules: long polling, or a webhook on
 * the HTTP server when PUBLIC_URL is set. bot/ and http/ never import each other; they meet
 * here. The bot is loaded on start, and only with a token: building its handlers costs ~300 ms
 * that an API-only marketplace should not pay at every start.
 */
export function createTelegramFace({
  config,
  logger,
  clock,
  db,
  metrics,
  overrides,
  services,
  telegramDelivery,
  limiters,
}: TelegramFaceDeps) {
  let telegram: { bot: ReturnType<typeof createBot>; transport: ReturnType<typeof createBotTransport> } | undefined;
  /** The bot's state until its transport exists: starting, or down when building it failed. */
  /** Set by the leader lease (src/app/redis.ts) before start: without Redis, at once. */
  let leading = false;
  let botFailure: BotStatus = { state: 'starting', since: clock.now(), setup: {} };
  const limits = { limit: config.rateLimit.requests, windowSeconds: config.rateLimit.windowSeconds };

  async function startTelegram(token: string) {
    const [
      { createBot, BROWSE_PRESSES_PER_MESSAGE },
      { createBotTransport },
      { telegramClient },
      { adminPorts },
      { Api },
    ] = await Promise.all([
      import('../bot/bot.ts'),
      import('../bot/transport.ts'),
      import('../lib/telegram-grammy.ts'),
      import('./admin-ports.ts'),
      import('grammy'),
    ]);
    const { catalog, users, orders, checkout, stars, reviews, support, sellers, files, apiKeys, admin } = services;
    const bot = createBot({
      config,
      catalog,
      users,
      orders,
      checkout,
      stars,
      // "Download again" goes out over the bot's own Api (plain text, auto-retry), like a delivery.
      redelivery: createRedelivery({
        catalog,
        downloads: services.downloads,
        orders,
        logger,
        telegram: () => telegram && telegramDelivery(telegramClient(telegram.bot.api)),
      }),
      reviews,
      support,
      sellers,
      files,
      apiKeys,
      admin,
      db,
      logger,
      metrics,
      clock,
      rateLimiter: limiters({ ...limits, name: 'bot' }),
      buttonLimiter: limiters({
        ...limits,
        limit: limits.limit * BROWSE_PRESSES_PER_MESSAGE,
        name: 'bot_buttons',
      }),
    });
    const transport = createBotTransport(bot, {
      ...overrides,
      token,
      publicUrl: config.http.publicUrl,
      logger,
      clock,
      leading,
    });
    telegram = { bot, transport };
    // admin: a plain Api for broadcasts (no auto-retry: they pace themselves and wait out 429s).
    admin.connect(
      adminPorts({ api: bot.api, broadcastApi: new Api(token, { apiRoot: config.telegram.apiRoot }), users }),
    );
    await telegram.transport.start();
  }

  // sellers: a file sent through a one-time upload link is announced in the bot, when it runs.
  services.files.onLinkUpload((sellerId, file) => {
    const api = telegram?.bot.api;
    if (!api) return;
    void import('../bot/features/upload-arrived.ts')
      .then(({ sendUploadArrived }) => sendUploadArrived(api, services.users, sellerId, file))
      .catch((error: unknown) => logger.warn({ err: error, sellerId }, 'upload notice not sent'));
  });

  return {
    get bot() {
      return telegram?.bot;
    },
    get transport() {
      return telegram?.transport;
    },
    /** Resolves once the bot is up or its first attempt failed; it keeps trying in the background. */
    async start() {
      if (!config.telegram.token) return;
      await startTelegram(config.telegram.token).catch((error: unknown) => {
        botFailure = {
          state: 'down',
          since: clock.now(),
          detail: `the bot could not be built: ${String(error)}`,
          setup: {},
        };
        logger.error({ err: error }, 'telegram bot failed to start');
      });
    },
    stop: async () => telegram?.transport.stop(),
    /** Only the leader polls or registers the webhook; every process serves webhook updates. */
    async setLeading(next: boolean) {
      leading = next;
      await telegram?.transport.setLeading(next);
    },
    readiness: (): ComponentState =>
      config.telegram.token
        ? botReadiness(telegram?.transport.status() ?? botFailure, clock.now())
        : { status: 'disabled' },
    /**
     * Adds the webhook route (when the bot takes its updates that way) before listening; until
     * the bot has started, Telegram is asked to come back later. Returns the server.
     */
    mountWebhook(http: HttpServer): HttpServer {
      if (!config.telegram.token || !config.http.publicUrl) return http;
      http.post(
        WEBHOOK_PATH,
        ({ request }) => (telegram ? telegram.transport.webhook(request) : new Response(null, { status: 503 })),
        {
          parse: 'none',
          detail: { hide: true },
        },
      );
      return http;
    },
    /** What the delivery jobs send through: the bot's Api when it started (auto-retry), else a plain one. */
    async channels(): Promise<DeliveryChannels> {
      const { token, apiRoot } = config.telegram;
      if (!token) return {};
      const [{ Api }, { telegramClient }, { createDeliveredNotice }, { saleNoticeSender }] = await Promise.all([
        import('grammy'),
        import('../lib/telegram-grammy.ts'),
        import('../bot/features/delivered.ts'),
        import('../bot/keyboards/sale-notice.ts'),
      ]);
      const api = telegram?.bot.api ?? new Api(token, { apiRoot });
      const client = telegramClient(api);
      return {
        telegram: telegramDelivery(client),
        // The sale notice, with a button to the seller's dashboard.
        sendToTelegram: saleNoticeSender(client),
        // buy: the thank-you with "leave a review", in the buyer's language (bot/features/delivered.ts).
        notifyDelivered: createDeliveredNotice({
          api,
          db,
          clock,
          titleOf: (productId) => services.catalog.productFile(productId)?.title,
        }),
      };
    },
  };
}

/** The bot's state as a `/ready` component; down fails readiness only after the grace period. */
function botReadiness({ state, since, detail, setup }: BotStatus, now: number): ComponentState {
  const failing = Object.entries(setup).map(([call, error]) => `${call}: ${error}`);
  const text = [detail, ...(failing.length > 0 ? [`profile not set (retried later): ${failing.join('; ')}`] : [])].join(
    '; ',
  );
  return {
    status: state,
    since: new Date(since).toISOString(),
    ...(text ? { detail: text } : {}),
    ...(state === 'down' && now - since < TELEGRAM_DOWN_GRACE_MS ? { grace: true } : {}),
  };
}
