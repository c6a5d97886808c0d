import type { Clock } from './clock.ts';

export interface PacerOptions {
  /** At most this many takes in any window of `windowMs`. */
  limit: number;
  windowMs: number;
  clock: Clock;
  /** Waits on the injected clock (tests advance a fake one instead of sleeping). */
  sleep: (ms: number) => Promise<void>;
}

/**
 * A sliding-window pacer: `take()` resolves when one more event fits in the window, so no window
 * of `windowMs` (wherever it starts) ever holds more than `limit` events. `pause(ms)` holds every
 * take for a while (a 429's retry_after). In-process: one pacer per sender.
 */
export function createPacer({ limit, windowMs, clock, sleep }: PacerOptions) {
  const times: number[] = [];
  let pausedUntil = 0;
  return {
    async take(): Promise<void> {
      for (;;) {
        const now = clock.now();
        while (times.length > 0 && times[0]! <= now - windowMs) times.shift();
        const wait = Math.max(pausedUntil - now, times.length >= limit ? times[0]! + windowMs - now : 0);
        if (wait <= 0) break;
        await sleep(wait);
      }
      times.push(clock.now());
    },
    pause(ms: number): void {
      pausedUntil = Math.max(pausedUntil, clock.now() + ms);
    },
  };
}

export type Pacer = ReturnType<typeof createPacer>;
