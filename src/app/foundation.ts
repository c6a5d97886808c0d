import type { Config } from '../config.ts';
import { publicRoutes } from '../http/server.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import { createMetrics } from '../lib/metrics.ts';
import { createQueue } from '../lib/queue.ts';
import { openStore, type Store } from '../store/database.ts';
import { createFromImage } from '../store/initial-database.ts';
import { migrate } from '../store/migrate.ts';
import { version } from '../version.ts';
import { createRedisWiring } from './redis.ts';

/**
 * What every module stands on, built before any of them: the migrated store, the metrics registry,
 * Redis (or the in-process cache and limits), the job queue, and the `base` each module factory gets.
 */
export interface FoundationDeps {
  config: Config;
  logger: Logger;
  clock: Clock;
  databasePath: string;
  /** A store already open on `databasePath` (migrated here if it is not yet); the app closes it on stop. */
  store?: Store;
}

export function createFoundation(deps: FoundationDeps) {
  const { config, logger, clock, databasePath } = deps;
  const created = deps.store || databasePath === ':memory:' ? [] : createFromImage(databasePath);
  const store = deps.store ?? openStore(databasePath);
  const applied = [...created, ...migrate(store.db)];
  if (applied.length > 0) logger.info({ migrations: applied, created: created.length > 0 }, 'database migrated');
  const metrics = createMetrics({ version });
  const redis = createRedisWiring({ config, logger, clock, metrics });
  const { db } = store;
  const queue = createQueue({ db, clock, logger, registry: metrics.registry, leaseMs: config.jobs.leaseMs });
  const urls = publicRoutes(config.http.publicUrl);
  const base = { db, clock, logger, config, metrics, cache: redis.catalogCache, limiters: redis.limiters, urls };
  return { store, metrics, redis, queue, base };
}
