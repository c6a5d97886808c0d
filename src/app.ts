import { disabledIntegrations, type Config } from './config.ts';
import type { ComponentState } from './http/routes/health.ts';
import { createHttpServer } from './http/server.ts';
import { createCache } from './lib/cache.ts';
import { systemClock, type Clock } from './lib/clock.ts';
import { createHttpClient } from './lib/http-client.ts';
import type { Logger } from './lib/logger.ts';
import { createMetrics } from './lib/metrics.ts';
import { createQueue } from './lib/queue.ts';
import { createRateLimiter } from './lib/rate-limit.ts';
import { createCatalog } from './modules/catalog/service.ts';
import { createOrders } from './modules/orders/service.ts';
import { createNowPaymentsClient } from './modules/payments/nowpayments/client.ts';
import { createPayments } from './modules/payments/service.ts';
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
}

/** Entries kept by the catalog cache; list pages are small, 10k of them is a few tens of MB at most. */
const CATALOG_CACHE_ENTRIES = 10_000;
const PAYMENT_WINDOW_MS = 60 * 60_000;
const RECONCILE_EVERY_MS = 60_000;
const NOWPAYMENTS_TIMEOUT_MS = 15_000;

/** Composition root: builds every piece from the config and wires them together. */
export function createApp({ config, logger, clock = systemClock, databasePath }: AppDeps) {
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
  const queue = createQueue({ db, clock, logger, registry: metrics.registry });
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
        timeoutMs: NOWPAYMENTS_TIMEOUT_MS,
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

  queue.register('reconcile-payments', () => payments.reconcile());
  queue.register('expire-orders', () => orders.expireDue());

  const readiness = (): Record<string, ComponentState> => ({
    database: isMigrated(db) ? { status: 'up' } : { status: 'down', detail: 'migrations pending' },
    telegram: config.telegram.token ? { status: 'up' } : { status: 'disabled' },
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
    maxRequestBodySize: config.maxFileSizeBytes + 1024 * 1024,
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
  });
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
    /** Listens on the configured host and port (0 = any free port), starts the job worker. Returns the port. */
    async start(): Promise<number> {
      http.listen({ port: config.http.port, hostname: config.http.host });
      const port = http.server?.port ?? config.http.port;
      queue.schedule('reconcile-payments', RECONCILE_EVERY_MS);
      queue.schedule('expire-orders', RECONCILE_EVERY_MS);
      queue.start();
      const off = disabledIntegrations(config);
      if (off.length > 0) logger.info({ disabled: off }, `integrations disabled: ${off.join('; ')}`);
      logger.info({ host: config.http.host, port, database: databasePath ?? config.databasePath }, 'listening');
      return port;
    },
    /** Stops accepting, lets in-flight requests and jobs finish, closes the database. Idempotent. */
    stop(): Promise<void> {
      stopping ??= (async () => {
        await http.stop();
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
