import type { Clock } from '../clock.ts';
import type { Logger } from '../logger.ts';
import type { JobOutcome, QueueMetrics } from './metrics.ts';
import { backoffDelay, errorText, PermanentJobError, type Backoff } from './retry.ts';
import type { JobRow, JobStore } from './store.ts';
import type { JobHandler, JobInfo } from './types.ts';

/** A registered kind and the handlers of it this instance is running. */
export interface Kind {
  handler: JobHandler<never>;
  maxAttempts: number;
  backoff: Backoff;
  leaseMs: number;
  concurrency: number;
  busy: number;
}

/** `lost`: the job was taken over (its lease expired) or the outcome could not be written. */
export type Outcome = JobOutcome | 'lost';

type Result =
  | { kind: 'succeeded' }
  | { kind: 'failed'; error: string }
  | { kind: 'dead'; error: string; attempts: number };

interface RunnerDeps {
  store: JobStore;
  clock: Clock;
  log: Logger;
  metrics: QueueMetrics;
  random: () => number;
  /** Called inside the transaction that records a final outcome (done or dead). */
  onFinal(row: JobRow, now: number): void;
  /** Called inside the transaction that marks a job dead, with its last error. */
  onDead(row: JobRow, error: string): void;
  /** Called when a handler has finished, its slot free again. */
  onSettled(): void;
}

/** Runs claimed jobs: handler, lease heartbeat, outcome written fenced by the attempt number. */
export function createRunner({ store, clock, log, metrics, random, onFinal, onDead, onSettled }: RunnerDeps) {
  const inflight = new Set<Promise<Outcome>>();

  /** Starts synchronously (the kind's busy count is taken before this returns). */
  function run(row: JobRow, kind: Kind): Promise<Outcome> {
    if (row.attempts > row.maxAttempts) {
      // Claimed after its lease expired, and that crashed attempt was the last one.
      const error = `lease expired: the worker of attempt ${row.maxAttempts} (the last) stopped before finishing`;
      log.error({ job: row.id, kind: row.kind }, 'job dead: last attempt never finished');
      return Promise.resolve(finish(row, kind, { kind: 'dead', error, attempts: row.maxAttempts }));
    }
    kind.busy++;
    const promise = execute(row, kind).finally(() => {
      kind.busy--;
      inflight.delete(promise);
      onSettled();
    });
    inflight.add(promise);
    return promise;
  }

  async function execute(row: JobRow, kind: Kind): Promise<Outcome> {
    const job: JobInfo = {
      id: row.id,
      kind: row.kind,
      attempts: row.attempts,
      maxAttempts: row.maxAttempts,
      uniqueKey: row.uniqueKey,
      runAt: row.runAt,
      createdAt: row.createdAt,
    };
    let payload: unknown;
    try {
      payload = JSON.parse(row.payload);
    } catch (error) {
      const unreadable = `unreadable payload: ${errorText(error)}`;
      return finish(row, kind, { kind: 'dead', error: unreadable, attempts: row.attempts });
    }
    const endTimer = metrics.duration.startTimer({ kind: row.kind });
    const heartbeat = setInterval(() => renew(row, kind), Math.max(1, Math.floor(kind.leaseMs / 2)));
    heartbeat.unref();
    try {
      await kind.handler(payload as never, job);
    } catch (error) {
      const context = { err: error, job: job.id, kind: job.kind, attempts: job.attempts };
      if (error instanceof PermanentJobError || row.attempts >= row.maxAttempts) {
        log.error(context, 'job dead');
        return finish(row, kind, { kind: 'dead', error: errorText(error), attempts: row.attempts });
      }
      log.warn(context, 'job failed, will retry');
      return finish(row, kind, { kind: 'failed', error: errorText(error) });
    } finally {
      clearInterval(heartbeat);
      endTimer();
    }
    return finish(row, kind, { kind: 'succeeded' });
  }

  function renew(row: JobRow, kind: Kind): void {
    try {
      const now = clock.now();
      if (!store.renew(row, now + kind.leaseMs, now)) log.warn({ job: row.id }, 'job lease lost while running');
    } catch (error) {
      log.error({ err: error, job: row.id }, 'job lease renewal failed');
    }
  }

  function finish(row: JobRow, kind: Kind, result: Result): Outcome {
    const now = clock.now();
    try {
      const written = store.atomically(() => {
        if (result.kind === 'failed') {
          return store.retry(row, now + backoffDelay(kind.backoff, row.attempts, random), result.error, now);
        }
        const ok = result.kind === 'dead' ? store.dead(row, result.attempts, result.error, now) : store.done(row, now);
        if (ok) onFinal(row, now);
        if (ok && result.kind === 'dead') onDead(row, result.error);
        return ok;
      });
      if (!written) {
        const context = { job: row.id, kind: row.kind, attempts: row.attempts };
        log.warn(context, 'job taken over by another worker; outcome dropped');
        return 'lost';
      }
    } catch (error) {
      log.error({ err: error, job: row.id }, 'job outcome not recorded; it runs again after its lease');
      return 'lost';
    }
    metrics.jobs.inc({ kind: row.kind, outcome: result.kind });
    return result.kind;
  }

  return {
    run,
    /** Handlers running now. */
    inflight: (): Promise<Outcome>[] => [...inflight],
  };
}
