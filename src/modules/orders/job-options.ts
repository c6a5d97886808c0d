import type { KindOptions } from '../../lib/queue.ts';

/**
 * Queue settings of `deliver`: a few deliveries at once (one big upload must not hold back the
 * others), and retries spread over about ten minutes for a Telegram hiccup.
 */
export const DELIVER_JOB: KindOptions = {
  concurrency: 4,
  maxAttempts: 8,
  backoff: { baseMs: 5_000, maxMs: 5 * 60_000 },
};

/**
 * Queue settings of `deliver-receipt` (an e-mail buyer's receipt): an SMTP server
 * down for most of a day loses nothing (backoff up to 30 minutes, 40 attempts).
 */
export const RECEIPT_JOB: KindOptions = {
  concurrency: 2,
  maxAttempts: 40,
  backoff: { baseMs: 10_000, maxMs: 30 * 60_000 },
};
