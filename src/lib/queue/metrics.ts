import { Counter, Gauge, Histogram, type Registry } from '../prom.ts';
import { JOB_STATUSES, type JobStatus } from './store.ts';

export type JobOutcome = 'succeeded' | 'failed' | 'dead';
export const JOB_OUTCOMES: readonly JobOutcome[] = ['succeeded', 'failed', 'dead'];

const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

export interface QueueGaugeSource {
  countByStatus(): Record<JobStatus, number>;
  oldestReadyAgeMs(now: number): number;
}

/**
 * The queue's Prometheus metrics, on `registry` when given (one queue per registry: the names
 * are fixed). The gauges read the table when scraped, so every process reports the shared
 * table's state, not only its own work.
 */
export function createQueueMetrics(registry: Registry | undefined, source: QueueGaugeSource, now: () => number) {
  const registers = registry ? [registry] : [];
  return {
    jobs: new Counter({
      name: 'jobs_total',
      help: 'Job attempts finished, by kind and outcome (failed = will be retried).',
      labelNames: ['kind', 'outcome'],
      registers,
    }),
    duration: new Histogram({
      name: 'job_duration_seconds',
      help: 'Time a job handler ran, by kind.',
      labelNames: ['kind'],
      buckets: DURATION_BUCKETS,
      registers,
    }),
    depth: new Gauge({
      name: 'queue_depth',
      help: 'Jobs in the queue table, by status.',
      labelNames: ['status'],
      registers,
      collect() {
        const counts = source.countByStatus();
        for (const status of JOB_STATUSES) this.set({ status }, counts[status]);
      },
    }),
    oldestReadyAge: new Gauge({
      name: 'queue_oldest_ready_age_seconds',
      help: 'How long the oldest due ready job has been waiting to be claimed.',
      registers,
      collect() {
        this.set(source.oldestReadyAgeMs(now()) / 1000);
      },
    }),
  };
}

export type QueueMetrics = ReturnType<typeof createQueueMetrics>;
