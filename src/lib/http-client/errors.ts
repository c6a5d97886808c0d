import { AppError } from '../errors.ts';

/** The upstream answered, but not with a 2xx. `body` is the parsed JSON (or the raw text). */
export class HttpError extends Error {
  constructor(
    readonly upstream: string,
    readonly status: number,
    readonly body: unknown,
    readonly headers: Headers,
    /** From a `Retry-After` header, when the upstream sent one. */
    readonly retryAfterSeconds?: number,
  ) {
    super(`${upstream} answered HTTP ${status}`);
    this.name = 'HttpError';
  }
}

/** No answer within the per-request timeout. */
export class UpstreamTimeoutError extends Error {
  constructor(
    readonly upstream: string,
    readonly timeoutMs: number,
  ) {
    super(`${upstream} did not answer within ${timeoutMs} ms`);
    this.name = 'UpstreamTimeoutError';
  }
}

/** The connection failed. `notSent` is true when the request provably never left (connection refused, DNS). */
export class UpstreamNetworkError extends Error {
  constructor(
    readonly upstream: string,
    readonly code: string | undefined,
    readonly notSent: boolean,
    options?: { cause?: unknown },
  ) {
    super(`${upstream} unreachable (${code ?? 'network error'})`, options);
    this.name = 'UpstreamNetworkError';
  }
}

/**
 * A non-idempotent request (e.g. the NOWPayments `POST /v1/payment`) may or may not have been
 * processed: it timed out, the connection dropped after sending, or the upstream answered
 * 500/502/504. It is never retried here, since a second POST could create a second payment.
 *
 * How the caller resolves it: every payment is created with our order id as `order_id`, so the
 * caller keeps the order in "payment pending" and either looks the payment up at NOWPayments
 * by that order id, or leaves it to the reconcile job (which polls NOWPayments for orders whose
 * outcome is unknown) to find the payment or to conclude there is none. Only once it is known
 * that no payment exists may a new one be created; a blind re-POST is never right.
 */
export class UncertainOutcomeError extends Error {
  constructor(
    readonly upstream: string,
    readonly method: string,
    readonly path: string,
    options: { cause: unknown },
  ) {
    super(`${method} ${path} to ${upstream} may or may not have been processed`, options);
    this.name = 'UncertainOutcomeError';
  }
}

/**
 * The upstream is temporarily unavailable and asked us (Retry-After) to wait longer than we
 * are willing to hold the caller. HTTP answers 503 + Retry-After; the bot says "temporarily unavailable".
 */
export class UpstreamUnavailableError extends AppError {
  constructor(
    readonly upstream: string,
    message: string,
    retryAfterSeconds: number,
    options?: { cause?: unknown },
  ) {
    super('unavailable', message, { upstream }, retryAfterSeconds);
    this.name = 'UpstreamUnavailableError';
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}

/** The circuit breaker is open (or half-open with its probe in flight): failed fast, nothing was sent. */
export class CircuitOpenError extends UpstreamUnavailableError {
  constructor(upstream: string, retryAfterSeconds: number) {
    super(upstream, `${upstream} is temporarily unavailable (circuit open)`, retryAfterSeconds);
    this.name = 'CircuitOpenError';
  }
}
