/**
 * Thrown by a handler when trying again cannot help (e.g. the buyer blocked the bot): the job
 * goes straight to `dead`, whatever attempts it has left.
 */
export class PermanentJobError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PermanentJobError';
  }
}

export interface Backoff {
  /** Ceiling of the delay after the first failure. */
  baseMs: number;
  /** The ceiling never grows past this. */
  maxMs: number;
}

/**
 * Exponential backoff with full jitter: after the `attempts`-th failure (1-based), a delay drawn
 * uniformly from [0, min(maxMs, baseMs * 2^(attempts - 1))]. The jitter spreads retries of jobs
 * that failed together (an outage) instead of sending them back all at once.
 */
export function backoffDelay({ baseMs, maxMs }: Backoff, attempts: number, random: () => number): number {
  const exponent = Math.min(Math.max(attempts - 1, 0), 52);
  const ceiling = Math.min(maxMs, baseMs * 2 ** exponent);
  return Math.min(ceiling, Math.floor(random() * (ceiling + 1)));
}

const MAX_ERROR_CHARS = 2000;

/** What `last_error` keeps of a thrown value: its message, bounded. */
export function errorText(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.length > MAX_ERROR_CHARS ? `${text.slice(0, MAX_ERROR_CHARS)}…` : text;
}
