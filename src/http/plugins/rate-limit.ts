import { Elysia } from 'elysia';
import { AppError } from '../../lib/errors.ts';
import type { Metrics } from '../../lib/metrics.ts';
import type { RateDecision, RateLimiter } from '../../lib/rate-limit.ts';

export interface NamedLimit {
  limiter: RateLimiter;
  /** Which requests also count against this stricter limit. */
  applies: (method: string, route: string, url: URL) => boolean;
}

export interface RateLimitOptions {
  limiter: RateLimiter;
  named?: NamedLimit[];
  /** Routes outside the limit (health checks, provider callbacks). */
  exempt: (route: string) => boolean;
  metrics: Metrics;
}

/** One client = one API key when a bearer key is sent, else one IP address. */
function clientKey(request: Request, ip: string | undefined): string {
  const bearer = /^Bearer\s+(\S+)/i.exec(request.headers.get('authorization') ?? '')?.[1];
  if (!bearer) return `ip:${ip ?? 'unknown'}`;
  const id = /^tbk_([A-Z2-9]+)_/.exec(bearer)?.[1];
  return id ? `key:${id}` : `key:${Bun.hash(bearer).toString(36)}`;
}

function headers(decision: RateDecision): Record<string, string> {
  return {
    'ratelimit-limit': String(decision.limit),
    'ratelimit-remaining': String(decision.remaining),
    'ratelimit-reset': String(decision.resetSeconds),
  };
}

/** Sliding-window limits per client; 429 with Retry-After and RateLimit-* headers. */
export const rateLimitPlugin = ({ limiter, named = [], exempt, metrics }: RateLimitOptions) =>
  new Elysia({ name: 'rate-limit' }).onBeforeHandle({ as: 'global' }, ({ request, route, server, set }) => {
    if (exempt(route)) return;
    const key = clientKey(request, server?.requestIP(request)?.address);
    const url = new URL(request.url);
    const limits = [
      { name: limiter.name, limiter },
      ...named.filter((n) => n.applies(request.method, route, url)).map((n) => ({ name: n.limiter.name, limiter: n.limiter })),
    ];
    for (const { name, limiter: l } of limits) {
      const decision = l.hit(key);
      Object.assign(set.headers, headers(decision));
      if (!decision.allowed) {
        metrics.rateLimited.inc({ scope: name });
        throw new AppError(
          'rate_limited',
          `too many requests: ${decision.limit} allowed per window; try again in ${decision.retryAfterSeconds} s`,
          { scope: name, limit: decision.limit },
          decision.retryAfterSeconds,
        );
      }
    }
  });
