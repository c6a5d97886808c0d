import type { RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateDecision, RateLimit } from '../rate-limit.ts';
import type { RedisConnection } from './connection.ts';

/**
 * The limiter as the HTTP plugin and the bot middleware use it (name, hit, and the RateDecision
 * fields), with promises: a shared count lives in Redis. The in-process limiter
 * (`createRateLimiter`) answers the same calls synchronously.
 */
export interface SharedRateLimiter {
  readonly name: string;
  /** Counts the request and says whether it is allowed. */
  hit(key: string): Promise<RateDecision>;
  /** What `hit` would answer now, without counting. */
  peek(key: string): Promise<RateDecision>;
  reset(key: string): Promise<void>;
}

export interface SharedRateLimiterOptions extends RateLimit {
  /** Shown in errors and in metrics labels; part of the Redis keys, so one count per name. */
  name?: string;
  /** Unset: an in-process count, as with a single process. */
  redis?: RedisConnection;
  /** Prefix of the Redis keys (one per client key and window). */
  keyPrefix?: string;
}

/**
 * Fixed windows counted atomically in Redis (rate-limiter-flexible's INCR + PEXPIRE script), so
 * N processes share one limit. While Redis is not ready each process counts in memory instead
 * (its insurance limiter): the limit then holds per process, and no request fails because of Redis.
 * Unlike the in-process sliding window, a refused request is counted too; it does not move the
 * end of the window, so it changes nothing a client sees.
 */
export function createSharedRateLimiter(options: SharedRateLimiterOptions): SharedRateLimiter {
  const { limit, windowSeconds, name = 'default', redis, keyPrefix = 'techbot:rl' } = options;
  if (!Number.isInteger(limit) || limit < 1 || !Number.isInteger(windowSeconds) || windowSeconds < 1) {
    throw new RangeError(`rate limit "${name}": limit and windowSeconds must be positive integers`);
  }
  const counts = { points: limit, duration: windowSeconds, keyPrefix: `${keyPrefix}:${name}` };
  // Required here, not imported: a process without REDIS_URL never builds a shared limiter.
  const {
    RateLimiterMemory,
    RateLimiterRedis,
    RateLimiterRes: Refusal,
  } = require('rate-limiter-flexible') as typeof import('rate-limiter-flexible');
  const memory = new RateLimiterMemory(counts);
  const limiter: RateLimiterAbstract = redis
    ? new RateLimiterRedis({
        ...counts,
        storeClient: redis.client,
        rejectIfRedisNotReady: true,
        insuranceLimiter: memory,
      })
    : memory;

  function decision(res: RateLimiterRes | null, allowed: boolean): RateDecision {
    const resetSeconds = res ? Math.max(0, Math.ceil(res.msBeforeNext / 1000)) : 0;
    return {
      allowed,
      limit,
      remaining: res ? Math.max(0, limit - res.consumedPoints) : limit,
      resetSeconds,
      retryAfterSeconds: allowed ? 0 : Math.max(1, resetSeconds),
    };
  }

  return {
    name,
    async hit(key) {
      try {
        return decision(await limiter.consume(key), true);
      } catch (refused) {
        // consume() rejects with the count when the limit is passed; anything else is a real error.
        if (refused instanceof Refusal) return decision(refused, false);
        throw refused;
      }
    },
    async peek(key) {
      const res = await limiter.get(key);
      return decision(res, (res?.consumedPoints ?? 0) < limit);
    },
    async reset(key) {
      await limiter.delete(key);
    },
  };
}
