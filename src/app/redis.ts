import { Gauge } from '../lib/prom.ts';
import type { Config } from '../config.ts';
import { inProcessLimiters } from '../http/rate-limits.ts';
import type { ComponentState } from '../http/routes/health.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import type { Metrics } from '../lib/metrics.ts';
import type { LimiterFactory } from '../lib/rate-limit.ts';
import { createSharedCache } from '../lib/redis/cache.ts';
import { createRedisConnection } from '../lib/redis/connection.ts';
import { createLeaderLease, type LeaderLease } from '../lib/redis/lease.ts';
import { createSharedRateLimiter } from '../lib/redis/rate-limit.ts';

/** Entries kept by the catalog cache at most; CACHE_MAX_MB bounds their bytes (a 100-item page can weigh 1 MB). */
const CATALOG_CACHE = { name: 'catalog', maxEntries: 10_000 };

export interface RedisWiringDeps {
  config: Pick<Config, 'redisUrl' | 'leaderLeaseMs' | 'cacheTtlSeconds' | 'cacheMaxBytes'>;
  logger: Logger;
  clock: Clock;
  metrics: Metrics;
}

/**
 * What REDIS_URL changes: one connection, the catalog cache and the rate limits shared through it. Without
 * REDIS_URL, or while Redis is down, each process uses its in-process cache and limiters, so Redis
 * never fails a request; `/ready` shows it degraded (not failing) and `redis_up` tracks it.
 */
export function createRedisWiring({ config, logger, clock, metrics }: RedisWiringDeps) {
  const redis = config.redisUrl ? createRedisConnection({ url: config.redisUrl, logger, clock }) : undefined;
  if (redis) {
    const up = new Gauge({
      name: 'redis_up',
      help: '1 while the Redis of REDIS_URL answers, 0 while the in-process fallbacks serve instead.',
      registers: [metrics.registry],
    });
    up.set(0);
    redis.onChange((state) => up.set(state.status === 'up' ? 1 : 0));
  }
  const limiters: LimiterFactory = redis
    ? (limit) => createSharedRateLimiter({ ...limit, redis })
    : inProcessLimiters(clock);

  const { cacheTtlSeconds: ttlSeconds, cacheMaxBytes: maxBytes } = config;
  let lease: LeaderLease | undefined;
  return {
    redis,
    limiters,
    /** Shared by every process through Redis: a write on one is seen by the next read on any other. */
    catalogCache: createSharedCache<string>({ ...CATALOG_CACHE, ttlSeconds, maxBytes, metrics, clock, redis, logger }),
    /**
     * The lease on what one process does for all: the Telegram transport (polling, or registering
     * the webhook). The schedules need none: each slot is one job whatever the number of
     * processes (lib/queue.ts). Without Redis this process leads from start() to stop().
     */
    lead(telegram: { setLeading(leading: boolean): Promise<void> }) {
      lease ??= createLeaderLease({
        redis,
        leaseMs: config.leaderLeaseMs,
        clock,
        logger,
        onAcquire: () => telegram.setLeading(true),
        onLose: () => telegram.setLeading(false),
      });
      lease.start();
    },
    /** Hands the lease back (stopping): another process takes over at its next attempt. */
    handOver: async () => lease?.stop(),
    readiness(): ComponentState {
      if (!redis) return { status: 'disabled' };
      const { status, since, lastError } = redis.state();
      const at = new Date(since).toISOString();
      if (status === 'up') return { status: 'up', since: at };
      return {
        status: 'degraded',
        since: at,
        detail: `in-process cache and limits: ${lastError ?? 'not connected yet'}`,
      };
    },
    close: async () => redis?.close(),
  };
}
