import type { Config } from '../config.ts';
import type { Clock } from '../lib/clock.ts';
import { createRateLimiter, type LimiterFactory } from '../lib/rate-limit.ts';
import type { NamedLimit } from './plugins/rate-limit.ts';

/** Limiters counting in this process only (no REDIS_URL). */
export const inProcessLimiters =
  (clock: Clock): LimiterFactory =>
  (limit) =>
    createRateLimiter({ ...limit, clock });

/**
 * The API's limiters: RATE_LIMIT_REQUESTS per RATE_LIMIT_WINDOW seconds per client for every
 * route; for the routes that cost more than a page read (a search, a payment creation) a third
 * of that budget each on top; and, per IP address, as many IPNs with a bad signature.
 */
export function apiRateLimits({ requests, windowSeconds }: Config['rateLimit'], make: LimiterFactory) {
  const stricter = (name: string) => make({ limit: Math.max(1, Math.ceil(requests / 3)), windowSeconds, name });
  const named: NamedLimit[] = [
    {
      limiter: stricter('search'),
      applies: (method, path, url) =>
        (method === 'GET' || method === 'HEAD') && path === '/api/products' && url.searchParams.has('q'),
    },
    { limiter: stricter('payment'), applies: (method, path) => method === 'POST' && path === '/api/payment' },
  ];
  return {
    limiter: make({ limit: requests, windowSeconds, name: 'api' }),
    named,
    /** Counts IPNs with a bad signature, per IP address. */
    ipnFailures: make({ limit: requests, windowSeconds, name: 'ipn' }),
  };
}
