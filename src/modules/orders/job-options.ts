import type { KindOptions } from '../../lib/queue.ts';

/**
 * Queue settings of `deliver`: a few deliveries at once (one big upload must not hold back the
 * others), and retries spread over about ten minutes for a Telegram hiccup.
 */
export const DELIVER_JOB: KindOptions = { concurrency: 4, maxAttempts: 8, backoff: { baseMs: 5_000, maxMs: 5 * 60_000 } };
