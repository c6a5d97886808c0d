import type { Registry } from '../prom.ts';
import type { Db } from '../../store/database.ts';
import type { Clock } from '../clock.ts';
import type { Logger } from '../logger.ts';
import type { Backoff } from './retry.ts';
import type { Executor, JobStatus } from './store.ts';

/** What a handler learns about the job it runs. `attempts` is 1 on the first run. */
export interface JobInfo {
  id: number;
  kind: string;
  attempts: number;
  maxAttempts: number;
  uniqueKey: string | null;
  runAt: number;
  createdAt: number;
}

/** Resolves: done. Throws: retried with backoff, or dead (PermanentJobError, or out of attempts). */
export type JobHandler<P = unknown> = (payload: P, job: JobInfo) => unknown;

export interface KindOptions {
  /** Default max attempts of this kind's jobs, applied when they are enqueued. */
  maxAttempts?: number;
  backoff?: Backoff;
  /** Lease of this kind's jobs (default: the queue's). */
  leaseMs?: number;
  /** Handlers of this kind running at once in this queue instance (default 1). */
  concurrency?: number;
}

export interface EnqueueOptions {
  /** When the job becomes due (ms, default now). */
  runAt?: number;
  /** At most one job ever exists with this key: enqueueing it again returns the existing id. */
  uniqueKey?: string;
  maxAttempts?: number;
  /** The caller's drizzle transaction (or the Db): the job exists only if that transaction commits. */
  tx?: Executor;
}

export interface RunSummary {
  /** Handlers run. */
  ran: number;
  succeeded: number;
  /** Failed and scheduled for a retry. */
  failed: number;
  /** Gone to `dead`: out of attempts, permanent error, or a crashed last attempt. */
  dead: number;
}

export interface QueueStats {
  byStatus: Record<JobStatus, number>;
  byKind: Record<string, Record<JobStatus, number>>;
  /** How long the oldest due ready job has waited; 0 when none waits. */
  oldestReadyAgeSeconds: number;
}

export interface QueueOptions {
  db: Db;
  clock: Clock;
  logger: Logger;
  /** Registry the queue's metrics go on (one queue per registry: the metric names are fixed). */
  registry?: Registry;
  /** Names this worker in logs (default pid + random suffix). */
  workerId?: string;
  /** Poll interval of start() when nothing wakes it (default 1000 ms). */
  pollMs?: number;
  /** Default lease (default 30 s): how long a crashed worker holds its job. */
  leaseMs?: number;
  /** Uniform in [0, 1): the backoff jitter (default Math.random). */
  random?: () => number;
}

export const DEFAULT_MAX_ATTEMPTS = 5;
export const DEFAULT_BACKOFF: Backoff = { baseMs: 1000, maxMs: 5 * 60_000 };
export const DEFAULT_LEASE_MS = 30_000;
export const DEFAULT_POLL_MS = 1000;
export const DEFAULT_STOP_TIMEOUT_MS = 10_000;
