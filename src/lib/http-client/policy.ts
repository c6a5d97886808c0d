import { CircuitOpenError, HttpError, UpstreamNetworkError, UpstreamTimeoutError } from './errors.ts';
import type { Outcome } from './metrics.ts';

export interface RetryOptions {
  /** Retries after the first attempt. */
  retries: number;
  /** Backoff cap of the first retry; each later one doubles, up to maxTimeoutMs. */
  minTimeoutMs: number;
  /** Longest wait between attempts, and the longest Retry-After honoured. */
  maxTimeoutMs: number;
}

/**
 * What to do after a failed attempt:
 * - `retry`: safe to send again (idempotent request, or the failure proves nothing was processed);
 * - `uncertain`: a non-idempotent request may have been processed; never resent;
 * - `final`: retrying cannot help (4xx, open circuit).
 */
export type Verdict = 'retry' | 'uncertain' | 'final';

/** Idempotent by default: the safe methods. Anything else only when the caller says so. */
export const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** 429 and 503 say the request was not processed (RFC 9110 15.6.4, RFC 6585 4). */
const NOT_PROCESSED_STATUSES = new Set([429, 503]);

export function verdict(error: unknown, idempotent: boolean): Verdict {
  if (error instanceof HttpError) {
    if (NOT_PROCESSED_STATUSES.has(error.status)) return 'retry';
    if (error.status < 500) return 'final';
    return idempotent ? 'retry' : 'uncertain';
  }
  if (error instanceof UpstreamNetworkError) return idempotent || error.notSent ? 'retry' : 'uncertain';
  if (error instanceof UpstreamTimeoutError) return idempotent ? 'retry' : 'uncertain';
  return 'final';
}

/** What the circuit breaker counts as a failure: network errors, timeouts, 5xx and 429; not 4xx. */
export function isBreakerFailure(error: unknown): boolean {
  if (error instanceof HttpError) return error.status >= 500 || error.status === 429;
  return error instanceof UpstreamNetworkError || error instanceof UpstreamTimeoutError;
}

/** The `outcome` label of one attempt. */
export function outcomeOf(error: unknown, v: Verdict): Outcome {
  if (v === 'uncertain') return 'uncertain';
  if (error instanceof CircuitOpenError) return 'circuit_open';
  if (error instanceof HttpError) return error.status >= 500 ? 'http_5xx' : 'http_4xx';
  if (error instanceof UpstreamTimeoutError) return 'timeout';
  return 'network';
}

/** `Retry-After` as whole seconds from `now`: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

/** "Full jitter" backoff: uniform in [0, min(maxTimeoutMs, minTimeoutMs * 2^retry)]; retry counts from 0. */
export function fullJitter(retry: number, { minTimeoutMs, maxTimeoutMs }: RetryOptions, random = Math.random): number {
  return Math.round(random() * Math.min(maxTimeoutMs, minTimeoutMs * 2 ** retry));
}
