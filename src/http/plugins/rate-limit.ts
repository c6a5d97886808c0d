import { Elysia } from 'elysia';
import { AppError } from '../../lib/errors.ts';
import type { Metrics } from '../../lib/metrics.ts';
import type { Limiter, RateDecision } from '../../lib/rate-limit.ts';
import { type ClientOf, closeIfBodyUnread, routePath } from './client.ts';

export interface NamedLimit {
  limiter: Limiter;
  /** Which requests also count against this stricter limit (by method and routed path). */
  applies: (method: string, path: string, url: URL) => boolean;
}

export interface RateLimitOptions {
  limiter: Limiter;
  named?: NamedLimit[];
  /** Paths outside the limit (health checks, provider callbacks). */
  exempt: (path: string) => boolean;
  /** The id of the API key the request carries, only when that key verifies. */
  verifiedKeyId: (request: Request) => string | undefined;
  /** The address a request without a verified key counts against. */
  clientOf: ClientOf;
  metrics: Metrics;
}

function headers(decision: RateDecision): Record<string, string> {
  return {
    'ratelimit-limit': String(decision.limit),
    'ratelimit-remaining': String(decision.remaining),
    'ratelimit-reset': String(decision.resetSeconds),
  };
}

/** Throws the 429 for a refused decision. */
export function refuse(decision: RateDecision, scope: string, metrics: Metrics): never {
  metrics.rateLimited.inc({ scope });
  throw new AppError(
    'rate_limited',
    `too many requests: ${decision.limit} allowed per window; try again in ${decision.retryAfterSeconds} s`,
    { scope, limit: decision.limit },
    decision.retryAfterSeconds,
  );
}

/**
 * Sliding-window limits per client; 429 with Retry-After and RateLimit-* headers. A client is
 * the API key it sends only when that key verifies, else its IP address: made-up or forged keys
 * get no budget of their own and spend no real key's. Every request counts, whatever it is
 * answered (401, 403, 422 ...), so failed key guesses are throttled like the rest; hence the
 * limit is applied as the request arrives, before any other hook can refuse it.
 */
export const rateLimitPlugin = ({ limiter, named = [], exempt, verifiedKeyId, clientOf, metrics }: RateLimitOptions) =>
  new Elysia({ name: 'rate-limit' }).onRequest(async ({ request, server, set }) => {
    const path = routePath(request);
    if (exempt(path)) return;
    const keyId = verifiedKeyId(request);
    const client = keyId ? `key:${keyId}` : `ip:${clientOf(server, request)}`;
    const url = new URL(request.url);
    const limits = [limiter, ...named.filter((n) => n.applies(request.method, path, url)).map((n) => n.limiter)];
    for (const l of limits) {
      const decision = await l.hit(client);
      Object.assign(set.headers, headers(decision));
      if (!decision.allowed) {
        closeIfBodyUnread(request, set);
        refuse(decision, l.name, metrics);
      }
    }
  });
