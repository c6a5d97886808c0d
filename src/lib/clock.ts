/** Time source, injected everywhere so tests control time instead of sleeping. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A stored time (ms since the epoch) as ISO 8601, or null when not set. */
export const isoOrNull = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
