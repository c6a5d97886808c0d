import { disabledIntegrations, type Config } from './config.ts';
import type { ComponentState } from './http/routes/health.ts';
import { createHttpServer } from './http/server.ts';
import { createCache } from './lib/cache.ts';
import { systemClock, type Clock } from './lib/clock.ts';
import type { Logger } from './lib/logger.ts';
import { createMetrics } from './lib/metrics.ts';
import { createRateLimiter } from './lib/rate-limit.ts';
import { createCatalog } from './modules/catalog/service.ts';
import { createApiKeys } from './modules/users/api-keys.ts';
import { openStore, type Store } from './store/database.ts';
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

/** Composition root: builds every piece from the config and wires them together. */
export function createApp({ config, logger, clock = systemClock, databasePath }: AppDeps) {
  const store = openStore(databasePath ?? config.databasePath);
  const applied = migrate(store.db);
  if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated');

  const metrics = createMetrics({ version });
  const cache = createCache<string>({
    name: 'catalog',
    ttlSeconds: config.cacheTtlSeconds,
    maxEntries: CATALOG_CACHE_ENTRIES,
    metrics,
    clock,
  });
  const catalog = createCatalog({
    db: store.db,
    cache,
    clock,
    storeCurrency: config.storeCurrency,
    timed: metrics.timed,
  });
  const apiKeys = createApiKeys({ db: store.db, clock, adminApiKey: config.admin.apiKey });
  const limits = { limit: config.rateLimit.requests, windowSeconds: config.rateLimit.windowSeconds, clock };

  const readiness = (): Record<string, ComponentState> => ({
    database: isMigrated(store.db) ? { status: 'up' } : { status: 'down', detail: 'migrations pending' },
    telegram: config.telegram.token ? { status: 'up' } : { status: 'disabled' },
    nowpayments: config.nowpayments.apiKey ? { status: 'up' } : { status: 'disabled' },
    smtp: config.smtp.server ? { status: 'up' } : { status: 'disabled' },
  });

  const http = createHttpServer({
    logger,
    metrics,
    version,
    publicUrl: config.http.publicUrl,
    readiness,
    maxRequestBodySize: config.maxFileSizeBytes + 1024 * 1024,
    rateLimit: {
      limiter: createRateLimiter({ ...limits, name: 'api' }),
      named: [
        {
          // Full-text search costs more than a page read: a third of the budget.
          limiter: createRateLimiter({ ...limits, limit: Math.max(1, Math.ceil(limits.limit / 3)), name: 'search' }),
          applies: (method, route, url) => method === 'GET' && route === '/api/products' && url.searchParams.has('q'),
        },
      ],
    },
    catalog,
    apiKeys,
  });
  let stopping: Promise<void> | undefined;

  return {
    store,
    http,
    metrics,
    catalog,
    apiKeys,
    /** Listens on the configured host and port (0 = any free port). Returns the bound port. */
    async start(): Promise<number> {
      http.listen({ port: config.http.port, hostname: config.http.host });
      const port = http.server?.port ?? config.http.port;
      const off = disabledIntegrations(config);
      if (off.length > 0) logger.info({ disabled: off }, `integrations disabled: ${off.join('; ')}`);
      logger.info({ host: config.http.host, port, database: databasePath ?? config.databasePath }, 'listening');
      return port;
    },
    /** Stops accepting, lets in-flight requests finish, closes the database. Idempotent. */
    stop(): Promise<void> {
      stopping ??= (async () => {
        await http.stop();
        store.close();
        logger.info('stopped');
      })();
      return stopping;
    },
  };
}

export type App = ReturnType<typeof createApp>;
