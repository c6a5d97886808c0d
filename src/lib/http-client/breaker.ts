import { EventEmitter } from 'node:events';
import CircuitBreaker from 'opossum';
import type { Clock } from '../clock.ts';
import { CircuitOpenError } from './errors.ts';
import type { OutboundMetrics } from './metrics.ts';

export type BreakerState = 'closed' | 'open' | 'half_open';

export interface BreakerOptions {
  /** Opens when the failure percentage over the rolling window exceeds this... */
  errorThresholdPercentage: number;
  /** ...and the window holds at least this many calls. */
  volumeThreshold: number;
  /** Time open before one probe is let through (half-open). */
  resetTimeoutMs: number;
  rollingWindowMs: number;
}

export interface Breaker {
  /** Runs `task` unless the circuit is open; then throws CircuitOpenError without running it. */
  fire<T>(task: () => Promise<T>): Promise<T>;
  state(): BreakerState;
  shutdown(): void;
}

const BUCKETS = 10;

/**
 * One opossum breaker for one upstream. Its rolling window is rotated from the injected clock
 * (a `rotateBucketController` we drive before each call, so no interval timer runs); the
 * open -> half-open transition is opossum's own `setTimeout(resetTimeout)` and so runs on real time.
 * opossum lets exactly one call through when half-open: success closes, failure reopens.
 */
export function createBreaker({
  upstream,
  options,
  clock,
  metrics,
  isFailure,
}: {
  upstream: string;
  options: BreakerOptions;
  clock: Clock;
  metrics: OutboundMetrics;
  /** Errors for which this is false (e.g. 4xx client errors) count as successes. */
  isFailure: (error: unknown) => boolean;
}): Breaker {
  const rotation = new EventEmitter();
  const bucketMs = options.rollingWindowMs / BUCKETS;
  let rotatedAt = clock.now();
  let openedAt = 0;

  const breaker = new CircuitBreaker((task: () => Promise<unknown>) => task(), {
    name: upstream,
    timeout: false, // the client's own AbortSignal timeout aborts the fetch itself
    errorThresholdPercentage: options.errorThresholdPercentage,
    volumeThreshold: options.volumeThreshold,
    resetTimeout: options.resetTimeoutMs,
    rollingCountTimeout: options.rollingWindowMs,
    rollingCountBuckets: BUCKETS,
    rotateBucketController: rotation,
    enableSnapshots: false,
    rollingPercentilesEnabled: false,
    errorFilter: (error: unknown) => !isFailure(error),
  });
  breaker.on('open', () => {
    openedAt = clock.now();
    metrics.state(2);
  });
  breaker.on('halfOpen', () => metrics.state(1));
  breaker.on('close', () => metrics.state(0));

  function rotateWindow(): void {
    const due = Math.floor((clock.now() - rotatedAt) / bucketMs);
    if (due <= 0) return;
    for (let i = 0; i < Math.min(due, BUCKETS); i++) rotation.emit('rotate');
    rotatedAt += due * bucketMs;
  }

  /** Whole seconds until the next probe is allowed; at least 1 (half-open with its probe in flight). */
  function retryAfterSeconds(): number {
    return Math.max(1, Math.ceil((openedAt + options.resetTimeoutMs - clock.now()) / 1000));
  }

  return {
    async fire<T>(task: () => Promise<T>): Promise<T> {
      rotateWindow();
      try {
        return (await breaker.fire(task)) as T;
      } catch (error) {
        if (CircuitBreaker.isOurError(error as Error) && (error as { code?: string }).code === 'EOPENBREAKER') {
          throw new CircuitOpenError(upstream, retryAfterSeconds());
        }
        throw error;
      }
    },
    state: () => (breaker.opened ? 'open' : breaker.halfOpen ? 'half_open' : 'closed'),
    shutdown: () => breaker.shutdown(),
  };
}
