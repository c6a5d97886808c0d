import type { Clock } from './clock.ts';

/** One limiter's answer: enough for `Retry-After` and the IETF `RateLimit-*` headers (whole seconds). */
export interface RateDecision {
  allowed: boolean;
  limit: number;
  /** Requests still allowed right now (after this one, when it was counted). */
  remaining: number;
  /** Seconds until the full quota is back, i.e. the sliding window no longer covers any counted request. */
  resetSeconds: number;
  /** 0 when allowed; otherwise the seconds (>= 1) to wait before a request is allowed again. */
  retryAfterSeconds: number;
}

export interface RateLimit {
  limit: number;
  windowSeconds: number;
}

export interface RateLimiterOptions extends RateLimit {
  clock: Clock;
  /** Shown in errors, and for callers to label metrics (e.g. `rate_limited_requests_total{scope}`). */
  name?: string;
}

export interface RateLimiter {
  readonly name: string;
  /** Counts the request if it is allowed; a refused request is not counted. */
  hit(key: string): RateDecision;
  /** What `hit` would answer now, without counting. */
  peek(key: string): RateDecision;
  reset(key: string): void;
  /** Keys currently held (for tests and gauges). */
  size(): number;
}

/**
 * What the HTTP plugin and the bot middleware need of a limiter: the in-process one answers at
 * once, the Redis one (lib/redis/rate-limit.ts) with a promise.
 */
export interface Limiter {
  readonly name: string;
  hit(key: string): RateDecision | Promise<RateDecision>;
}

/** Builds the limiters of one process: in-process, or shared through Redis. */
export type LimiterFactory = (limit: RateLimit & { name: string }) => Limiter;

/** Per key: the fixed window it was last seen in, its count, and the count of the window before. */
interface Counts {
  start: number;
  current: number;
  previous: number;
}

/**
 * Sliding-window counter: a request is allowed when
 * `previous * (part of the previous window still inside the sliding window) + current + 1 <= limit`.
 * All sums are scaled by the window length in ms so the comparison stays exact in integers.
 */
export function createRateLimiter({ limit, windowSeconds, clock, name = 'default' }: RateLimiterOptions): RateLimiter {
  if (!Number.isInteger(limit) || limit < 1 || !(windowSeconds > 0)) {
    throw new RangeError(`rate limit "${name}": limit must be a positive integer and windowSeconds > 0`);
  }
  const W = windowSeconds * 1000;
  // Every hit re-inserts its key, so iteration order is last-seen order and stale keys gather at the front.
  const keys = new Map<string, Counts>();

  /** The key's counts carried forward to the window starting at `start`; a fresh object unless unchanged. */
  function rolled(c: Counts | undefined, start: number): Counts {
    if (!c || c.start <= start - 2 * W) return { start, current: 0, previous: 0 };
    if (c.start === start - W) return { start, current: 0, previous: c.current };
    return c;
  }

  /** Weighted count in use at `now`, scaled by W. */
  function used(c: Counts, now: number): number {
    return c.previous * (W - (now - c.start)) + c.current * W;
  }

  /** Earliest time one more request fits: later in this window as `previous` fades, or in the next one. */
  function nextAllowedAt(c: Counts): number {
    const free = limit - c.current - 1;
    // free >= 0 yet refused means previous > 0: wait until previous * (W - elapsed) <= free * W.
    if (free >= 0) return c.start + W - Math.floor((free * W) / c.previous);
    // This window is full; in the next one `current` becomes the fading `previous` and the count restarts at 0.
    return c.start + 2 * W - Math.floor(((limit - 1) * W) / c.current);
  }

  function decide(c: Counts, now: number, allowed: boolean): RateDecision {
    const fullAt = c.current > 0 ? c.start + 2 * W : c.previous > 0 ? c.start + W : now;
    return {
      allowed,
      limit,
      remaining: Math.max(0, Math.floor((limit * W - used(c, now)) / W)),
      resetSeconds: Math.max(0, Math.ceil((fullAt - now) / 1000)),
      retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil((nextAllowedAt(c) - now) / 1000)),
    };
  }

  /** Drops keys unseen for two windows (both counts are zero by then); stops at the first live key, so O(1) amortised. */
  function sweep(start: number): void {
    for (const [key, c] of keys) {
      if (c.start > start - 2 * W) break;
      keys.delete(key);
    }
  }

  const windowStart = (now: number) => Math.floor(now / W) * W;

  return {
    name,
    hit(key) {
      const now = clock.now();
      const start = windowStart(now);
      sweep(start);
      const c = rolled(keys.get(key), start);
      const allowed = used(c, now) + W <= limit * W;
      if (allowed) c.current += 1;
      keys.delete(key);
      keys.set(key, c);
      return decide(c, now, allowed);
    },
    peek(key) {
      const now = clock.now();
      const c = rolled(keys.get(key), windowStart(now));
      return decide(c, now, used(c, now) + W <= limit * W);
    },
    reset: (key) => void keys.delete(key),
    size: () => keys.size,
  };
}

/** The default limiter plus stricter named ones (e.g. search, upload, payment), each counting its own keys. */
export function createRateLimiters<N extends string>(
  defaults: RateLimiterOptions,
  overrides: Record<N, Partial<RateLimit>>,
): Record<N | 'default', RateLimiter> {
  const limiters = { default: createRateLimiter({ name: 'default', ...defaults }) } as Record<
    N | 'default',
    RateLimiter
  >;
  for (const name of Object.keys(overrides) as N[]) {
    limiters[name] = createRateLimiter({ ...defaults, ...overrides[name], name });
  }
  return limiters;
}
