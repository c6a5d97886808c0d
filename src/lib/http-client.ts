import pRetry, { AbortError } from 'p-retry';
import type { Registry } from './prom.ts';
import { systemClock, type Clock } from './clock.ts';
import { createBreaker, type BreakerOptions, type BreakerState } from './http-client/breaker.ts';
import {
  HttpError,
  UncertainOutcomeError,
  UpstreamNetworkError,
  UpstreamTimeoutError,
  UpstreamUnavailableError,
} from './http-client/errors.ts';
import { outboundMetrics } from './http-client/metrics.ts';
import {
  fullJitter,
  isBreakerFailure,
  outcomeOf,
  parseRetryAfter,
  SAFE_METHODS,
  verdict,
  type RetryOptions,
} from './http-client/policy.ts';
import { createSemaphore } from './http-client/semaphore.ts';

export * from './http-client/errors.ts';
export type { BreakerOptions, BreakerState, RetryOptions };

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface HttpClientOptions {
  /** Names the upstream in errors and metric labels, e.g. 'nowpayments'. */
  upstream: string;
  baseUrl: string;
  /** Per attempt, from sending to the whole body read. */
  timeoutMs: number;
  /** Attempts in flight at once (MAX_CONNECTIONS); the others queue. */
  maxConcurrent: number;
  clock?: Clock;
  registry?: Registry;
  retry?: RetryOptions;
  breaker?: BreakerOptions;
  defaultHeaders?: Record<string, string>;
  fetch?: FetchLike;
}

export interface HttpRequest {
  method: string;
  /** Appended to baseUrl, e.g. '/v1/payment'. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  /** Sent as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Safe to send twice. Default: true for GET/HEAD/OPTIONS, false otherwise. */
  idempotent?: boolean;
}

export interface HttpResponse<T> {
  status: number;
  headers: Headers;
  data: T;
}

export interface HttpClient {
  request<T>(request: HttpRequest): Promise<HttpResponse<T>>;
  state(): BreakerState;
  /** Stops the breaker's timer; later requests fail. */
  close(): void;
}

export const DEFAULT_RETRY: RetryOptions = { retries: 2, minTimeoutMs: 200, maxTimeoutMs: 5_000 };
export const DEFAULT_BREAKER: BreakerOptions = {
  errorThresholdPercentage: 50,
  volumeThreshold: 10,
  resetTimeoutMs: 30_000,
  rollingWindowMs: 60_000,
};

/** Failures that prove the request never left: nothing can have been processed. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ConnectionRefused', 'ENOTFOUND', 'EAI_AGAIN']);

function transportError(upstream: string, timeoutMs: number, error: unknown): Error {
  if (error instanceof DOMException && error.name === 'TimeoutError')
    return new UpstreamTimeoutError(upstream, timeoutMs);
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  const notSent = (typeof code === 'string' && NOT_SENT_CODES.has(code)) || /Unable to connect/i.test(message);
  return new UpstreamNetworkError(upstream, typeof code === 'string' ? code : undefined, notSent, { cause: error });
}

/** JSON when the upstream says so and it parses; otherwise the text (error pages), or null when empty. */
async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return null;
  if (!(response.headers.get('content-type') ?? '').includes('json')) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Outbound JSON over fetch, for one upstream: per-attempt timeout, a concurrency cap, an opossum
 * circuit breaker, and p-retry with full-jitter backoff where a retry is safe (see policy.ts).
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const { upstream, timeoutMs } = options;
  const clock = options.clock ?? systemClock;
  const retry = options.retry ?? DEFAULT_RETRY;
  const doFetch: FetchLike = options.fetch ?? ((url, init) => fetch(url, init));
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const metrics = outboundMetrics(options.registry, upstream);
  const slots = createSemaphore(options.maxConcurrent);
  const breaker = createBreaker({
    upstream,
    options: options.breaker ?? DEFAULT_BREAKER,
    clock,
    metrics,
    isFailure: isBreakerFailure,
  });

  /** One network attempt, inside a concurrency slot; non-2xx becomes HttpError, fetch failures typed errors. */
  function attempt(url: string, init: RequestInit): Promise<HttpResponse<unknown>> {
    return slots.run(async () => {
      const stopTimer = metrics.time();
      let response: Response;
      let data: unknown;
      try {
        response = await doFetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
        data = await readBody(response);
      } catch (error) {
        throw transportError(upstream, timeoutMs, error);
      } finally {
        stopTimer();
      }
      if (response.ok) return { status: response.status, headers: response.headers, data };
      const retryAfter = parseRetryAfter(response.headers.get('retry-after'), clock.now());
      throw new HttpError(upstream, response.status, data, response.headers, retryAfter);
    });
  }

  async function request<T>(req: HttpRequest): Promise<HttpResponse<T>> {
    const method = req.method.toUpperCase();
    const idempotent = req.idempotent ?? SAFE_METHODS.has(method);
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(req.query ?? {})) if (value !== undefined) query.set(key, String(value));
    const url = `${baseUrl}${req.path}${query.size > 0 ? `?${query}` : ''}`;
    const headers: Record<string, string> = { accept: 'application/json', ...options.defaultHeaders, ...req.headers };
    if (req.body !== undefined) headers['content-type'] = 'application/json';
    const init: RequestInit = { method, headers, body: req.body === undefined ? undefined : JSON.stringify(req.body) };
    /** The least wait (ms) a failure asked for through Retry-After. */
    const asked = new WeakMap<Error, number>();

    const response = await pRetry(
      async () => {
        try {
          const ok = await breaker.fire(() => attempt(url, init));
          metrics.count('ok');
          return ok;
        } catch (error) {
          const v = verdict(error, idempotent);
          metrics.count(outcomeOf(error, v));
          if (v === 'uncertain')
            throw new AbortError(new UncertainOutcomeError(upstream, method, req.path, { cause: error }));
          if (v === 'final') throw new AbortError(error as Error);
          const seconds = error instanceof HttpError ? error.retryAfterSeconds : undefined;
          if (seconds !== undefined && seconds * 1000 > retry.maxTimeoutMs) {
            const message = `${upstream} asked to retry after ${seconds} s, longer than the ${retry.maxTimeoutMs} ms we wait`;
            throw new AbortError(new UpstreamUnavailableError(upstream, message, seconds, { cause: error }));
          }
          asked.set(error as Error, (seconds ?? 0) * 1000);
          throw error;
        }
      },
      {
        retries: retry.retries,
        // p-retry's own delay is off: it only offers "randomize" (x1..x2), not full jitter, so we wait here.
        minTimeout: 0,
        shouldRetry: async ({ error, retriesConsumed }) => {
          await Bun.sleep(Math.max(asked.get(error) ?? 0, fullJitter(retriesConsumed, retry)));
          return true;
        },
      },
    );
    return response as HttpResponse<T>;
  }

  return { request, state: breaker.state, close: breaker.shutdown };
}
