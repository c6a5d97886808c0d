import pRetry from 'p-retry';

/** Capped exponential backoff: the wait after failure n (from 0) is minMs x 2^n, at most maxMs. */
export interface Backoff {
  minMs: number;
  maxMs: number;
}

/** Waits `ms`; rejects with the signal's reason when it aborts first. Injected so tests need not wait. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const timerSleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

export const backoffDelay = (failures: number, { minMs, maxMs }: Backoff) =>
  Math.min(maxMs, minMs * 2 ** Math.min(failures, 40));

export interface RetryForeverOptions {
  backoff: Backoff;
  /** The only way out besides success: the promise then rejects with the signal's reason. */
  signal: AbortSignal;
  sleep?: Sleep;
  /** Told of every failure before the wait (for logs and state). */
  onFailure?: (error: unknown, info: { attempt: number; delayMs: number }) => void;
}

/**
 * Calls `attempt` until it succeeds, waiting the backoff between failures, for as long as the
 * signal allows: for a connection the process cannot do without (the Telegram bot's updates),
 * where giving up would leave it running but dead. p-retry keeps the loop; its own delay is off
 * so that the wait goes through the injected `sleep`.
 */
export function retryForever<T>(attempt: (attempt: number) => Promise<T>, options: RetryForeverOptions): Promise<T> {
  const { backoff, signal, sleep = timerSleep, onFailure } = options;
  return pRetry(attempt, {
    retries: Number.POSITIVE_INFINITY,
    minTimeout: 0,
    signal,
    shouldRetry: async ({ error, retriesConsumed, attemptNumber }) => {
      const delayMs = backoffDelay(retriesConsumed, backoff);
      onFailure?.(error, { attempt: attemptNumber, delayMs });
      await sleep(delayMs, signal);
      return true;
    },
  });
}
