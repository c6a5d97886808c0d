import { createFoundation, type FoundationDeps } from './app/foundation.ts';
import { createReadiness } from './app/readiness.ts';
import { createTelegramFace, type TelegramFaceDeps } from './app/telegram.ts';
import { disabledIntegrations, type Config } from './config.ts';
import { createHttpServer, type HttpServer } from './http/server.ts';
import { systemClock, type Clock } from './lib/clock.ts';
import type { Logger } from './lib/logger.ts';
import { createAdminModule } from './modules/admin/index.ts';
import { createCatalogModule } from './modules/catalog/index.ts';
import { createFilesModule } from './modules/files/index.ts';
import { createNotifyModule, type NotifyModuleDeps } from './modules/notify/index.ts';
import { createOrdersModule } from './modules/orders/index.ts';
import { createPaymentsModule, type PaymentsModuleDeps } from './modules/payments/index.ts';
import { createSellersModule } from './modules/sellers/index.ts';
import { createSupportModule } from './modules/support/index.ts';
import { createUsersModule } from './modules/users/index.ts';
import { version } from './version.ts';

export interface AppDeps extends Pick<FoundationDeps, 'store'> {
  config: Config;
  logger: Logger;
  clock?: Clock;
  /** Defaults to the file under DATA_DIR; tests may pass ':memory:'. */
  databasePath?: string;
  /** Overrides of the NOWPayments client's per-attempt timeout, retry backoff and circuit breaker (tests). */
  nowpaymentsHttp?: PaymentsModuleDeps['nowpaymentsHttp'];
  /** Overrides of the bot's waits between attempts to reach the Bot API (tests shorten them). */
  telegram?: TelegramFaceDeps['overrides'];
  /** Extra trust for the SMTP server's certificate (tests: the fake server's self-signed CA). */
  smtpTls?: NotifyModuleDeps['tls'];
}

/**
 * Composition root, wiring only: the store and lib pieces, then each module in dependency order
 * (a module gets the services of those built before it), then the two faces.
 */
export function createApp(deps: AppDeps) {
  const { config, logger, clock = systemClock, databasePath = config.databasePath, nowpaymentsHttp } = deps;
  const { store, metrics, redis, queue, base } = createFoundation({ ...deps, clock, databasePath });

  const { users, apiKeys, operator: usersOperator } = createUsersModule(base);
  const notifyModule = createNotifyModule({ ...base, queue, tls: deps.smtpTls });
  const { notify } = notifyModule;
  const { files, createDownloads, telegramDelivery } = createFilesModule({ ...base, users });
  const catalogModule = createCatalogModule({ ...base, files, users, databasePath });
  const { catalog, createReviews } = catalogModule;
  const ordersModule = createOrdersModule({ ...base, jobs: queue, catalog, notify });
  const { orders, tokens: orderTokens } = ordersModule;
  // Reviews and download links check what a buyer owns: the second step of catalog and files.
  const reviews = createReviews(orders.owns);
  const downloads = createDownloads({ owns: orders.owns, catalog });
  const orderAccess = ordersModule.createAccess(downloads.createDownloadLink);
  const paymentModule = createPaymentsModule({ ...base, nowpaymentsHttp, orders, users, catalog, orderTokens, notify });
  const { payments, stars, checkout } = paymentModule;
  const { support, operator: supportOperator } = createSupportModule({ ...base, orders });
  const { sellers } = createSellersModule({ ...base, users, orders, catalog, notify });
  const ops = { ...usersOperator, ...catalogModule.operator, ...ordersModule.operator, ...supportOperator };
  const admin = createAdminModule({ ...base, ...ops, queue, orders, stars, users, catalog, payments, sellers, notify });
  const shop = { catalog, apiKeys, users, orders, payments, checkout, stars, reviews, support, downloads, files };
  const services = { ...shop, sellers, admin };
  const telegram = createTelegramFace({ ...base, overrides: deps.telegram, services, telegramDelivery });
  ordersModule.registerJobs(queue, { users, catalog, downloads, channels: telegram.channels });
  for (const module of [paymentModule, notifyModule, admin]) module.registerJobs(queue);
  const readiness = createReadiness({ db: store.db, telegram, payments: paymentModule, notify: notifyModule, redis });
  // Built on first use (start, a test's request): an app built for its modules only (the bot's tests) skips ~70 routes.
  let http: HttpServer | undefined;
  const httpFace = () =>
    (http ??= telegram.mountWebhook(createHttpServer({ ...base, ...services, orderAccess, version, readiness })));
  let stopping: Promise<void> | undefined;

  return {
    ...services,
    store,
    get http() {
      return httpFace();
    },
    metrics,
    queue,
    notify,
    /** The Telegram face: `bot` and `transport` once started, undefined without TELEGRAM_TOKEN. */
    telegram,
    /** Listens on the configured host and port (0 = any free port), starts the job worker. Returns the port. */
    async start(): Promise<number> {
      const server = httpFace().listen({ port: config.http.port, hostname: config.http.host });
      const port = server.server?.port ?? config.http.port;
      // After the server listens: Telegram may call the webhook as soon as it is registered.
      redis.lead(telegram);
      await telegram.start();
      // The jobs after the bot (deliveries go through its API) and after the requests that came with
      // the listening socket: with the jobs due at boot run first, a first /health 200 took ~6 ms more.
      await Bun.sleep(5);
      if (stopping) return port;
      for (const module of [ordersModule, paymentModule, notifyModule]) module.scheduleJobs(queue);
      queue.start();
      const off = disabledIntegrations(config);
      if (off.length > 0) logger.info({ disabled: off }, `integrations disabled: ${off.join('; ')}`);
      logger.info({ host: config.http.host, port, database: databasePath }, 'listening');
      return port;
    },
    /** Stops accepting, lets in-flight requests and jobs finish, closes the database. Idempotent, started or not. */
    stop(): Promise<void> {
      stopping ??= (async () => {
        await redis.handOver();
        await telegram.stop();
        if (http?.server) await http.stop(); // an app built for its modules only (tests) never listened
        catalogModule.close();
        files.close();
        await queue.stop();
        for (const module of [paymentModule, notifyModule]) module.close();
        store.close();
        await redis.close();
        logger.info('stopped');
      })();
      return stopping;
    },
  };
}

export type App = ReturnType<typeof createApp>;
