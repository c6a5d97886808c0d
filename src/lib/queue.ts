/**
 * Durable job queue on the SQLite `jobs` table.
 *
 * Delivery is AT LEAST ONCE: a job whose worker dies mid-handler (SIGKILL, power loss, a stop()
 * that timed out) stays `running` until its lease expires, then any worker runs it again. So
 * handlers MUST be idempotent. Exactly-once effects come from the handler checking state in the
 * database (e.g. `deliver` looks whether the order is already delivered, and records the delivery
 * in the same transaction as the state it checked), never from the queue.
 *
 * A running handler's lease is renewed (heartbeat every leaseMs / 2), so `leaseMs` is how long a
 * dead worker holds its job, not a limit on how long a handler may run. Per-kind concurrency is
 * per queue instance (per process). Enqueue is synchronous so it fits in a bun:sqlite transaction.
 */
import { createJobInspector, type JobFilter, type JobRecord } from './queue/inspect.ts';
import { createQueueMetrics, JOB_OUTCOMES } from './queue/metrics.ts';
import { PermanentJobError } from './queue/retry.ts';
import { createRunner, type Kind } from './queue/runner.ts';
import { createJobStore, JOB_STATUSES, zeroCounts, type JobRow } from './queue/store.ts';
import {
  DEFAULT_BACKOFF,
  DEFAULT_LEASE_MS,
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_POLL_MS,
  DEFAULT_STOP_TIMEOUT_MS,
  type EnqueueOptions,
  type JobHandler,
  type KindOptions,
  type QueueOptions,
  type QueueStats,
  type RunSummary,
} from './queue/types.ts';

export { PermanentJobError };
export type { JobOutcome } from './queue/metrics.ts';
export type { Backoff } from './queue/retry.ts';
export type { Executor, JobStatus } from './queue/store.ts';
export type { JobFilter, JobRecord } from './queue/inspect.ts';
export type * from './queue/types.ts';

/** Payload types by job kind; the default accepts any kind and any JSON payload. */
export type JobKinds = Record<string, unknown>;

export type DeadListener = (job: { id: number; kind: string; payload: string; lastError: string }) => void;

const schedulePrefix = (kind: string) => `schedule:${kind}:`;

export function createQueue<K extends JobKinds = JobKinds>(options: QueueOptions) {
  const { db, clock, registry, pollMs = DEFAULT_POLL_MS, leaseMs = DEFAULT_LEASE_MS, random = Math.random } = options;
  const log = options.logger.child({ worker: options.workerId ?? `${process.pid}-${crypto.randomUUID().slice(0, 8)}` });
  const store = createJobStore(db.$client);
  const inspector = createJobInspector(db.$client);
  const metrics = createQueueMetrics(registry, store, () => clock.now());
  const kinds = new Map<string, Kind>();
  /** kind -> everyMs of the recurring kinds this instance schedules. */
  const schedules = new Map<string, number>();
  const deadListeners: DeadListener[] = [];
  const runner = createRunner({
    store,
    clock,
    log,
    metrics,
    random,
    onFinal: enqueueNextSlot,
    onDead: (row, error) => {
      for (const listener of deadListeners)
        listener({ id: row.id, kind: row.kind, payload: row.payload, lastError: error });
    },
    onSettled: wake,
  });
  let started = false;
  let wakePending = false;
  let pollTimer: Timer | undefined;

  function enqueue<T extends keyof K & string>(kind: T, payload: K[T], opts: EnqueueOptions = {}): number {
    const now = clock.now();
    // On the store's connection: inside `opts.tx` when the caller has one open.
    const id = store.insert({
      kind,
      payload: JSON.stringify(payload ?? null),
      runAt: opts.runAt ?? now,
      maxAttempts: opts.maxAttempts ?? kinds.get(kind)?.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      uniqueKey: opts.uniqueKey,
      now,
    });
    wake();
    return id;
  }

  /** Runs inside the transaction that marks a job done or dead: a recurring kind's next slot. */
  function enqueueNextSlot(row: JobRow, now: number): void {
    const everyMs = schedules.get(row.kind);
    if (everyMs === undefined || !row.uniqueKey?.startsWith(schedulePrefix(row.kind))) return;
    const next = (Math.floor(now / everyMs) + 1) * everyMs;
    const maxAttempts = kinds.get(row.kind)?.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    const uniqueKey = schedulePrefix(row.kind) + next;
    store.insert({ kind: row.kind, payload: row.payload, runAt: next, maxAttempts, uniqueKey, now });
  }

  /** Claims the oldest due job of the registered kinds (only those with a free slot if `onlyFree`). */
  function claim(onlyFree: boolean): { row: JobRow; kind: Kind } | null {
    const leases: Record<string, number> = {};
    for (const [name, kind] of kinds) if (!onlyFree || kind.busy < kind.concurrency) leases[name] = kind.leaseMs;
    if (Object.keys(leases).length === 0) return null;
    const row = store.claim(clock.now(), leases);
    return row && { row, kind: kinds.get(row.kind)! };
  }

  /** One pass of the worker loop: fills the free slots, then waits for a wake or the poll. */
  function pump(): void {
    clearTimeout(pollTimer);
    if (!started) return;
    try {
      for (let next = claim(true); next; next = started ? claim(true) : null) void runner.run(next.row, next.kind);
    } catch (error) {
      log.error({ err: error }, 'job claim failed');
    }
    pollTimer = setTimeout(pump, pollMs);
    pollTimer.unref();
  }

  function wake(): void {
    if (!started || wakePending) return;
    wakePending = true;
    // After the current synchronous work: after the caller's enclosing transaction has committed.
    setImmediate(() => {
      wakePending = false;
      pump();
    });
  }

  return {
    /**
     * Called when a job goes dead, inside the transaction that records it: a job the listener
     * enqueues (an alert) exists exactly when the death is recorded.
     */
    onDead(listener: DeadListener): void {
      deadListeners.push(listener);
    },
    /** Handles jobs of `kind` in this instance. Register every kind before start(). */
    register<T extends keyof K & string>(kind: T, handler: JobHandler<K[T]>, opts: KindOptions = {}): void {
      if (kinds.has(kind)) throw new Error(`job kind "${kind}" is already registered`);
      const { maxAttempts = DEFAULT_MAX_ATTEMPTS, concurrency = 1, backoff = DEFAULT_BACKOFF } = opts;
      for (const [name, value] of Object.entries({ maxAttempts, concurrency })) {
        if (!Number.isInteger(value) || value < 1) throw new RangeError(`job "${kind}": ${name} must be >= 1`);
      }
      const lease = opts.leaseMs ?? leaseMs;
      kinds.set(kind, {
        handler: handler as JobHandler<never>,
        maxAttempts,
        backoff,
        leaseMs: lease,
        concurrency,
        busy: 0,
      });
      for (const outcome of JOB_OUTCOMES) metrics.jobs.inc({ kind, outcome }, 0);
      wake();
    },

    /** Returns the job id; for a uniqueKey already taken, the existing job's id (nothing is added). */
    enqueue,

    /**
     * Runs `kind` every `everyMs`, once per slot (floor(now / everyMs)) whatever the number of
     * processes or restarts: the slot's start is in the job's unique key. Enqueues the current
     * slot (due at once unless it already ran) and, each time a slot's job ends (done or dead),
     * the next slot, in the same transaction. Missed slots are skipped, not caught up.
     */
    schedule<T extends keyof K & string>(kind: T, everyMs: number, payload?: K[T]): number {
      if (!Number.isInteger(everyMs) || everyMs < 1) throw new RangeError(`schedule "${kind}": everyMs must be >= 1`);
      schedules.set(kind, everyMs);
      const slotStart = Math.floor(clock.now() / everyMs) * everyMs;
      return enqueue(kind, payload as K[T], { runAt: slotStart, uniqueKey: schedulePrefix(kind) + slotStart });
    },

    /** Starts the worker loop on real timers: claims now, right after every enqueue, and every pollMs. */
    start(): void {
      if (started) return;
      started = true;
      pump();
    },

    /** Stops claiming, waits for running handlers; false if `timeoutMs` passed first (those jobs keep their lease). */
    async stop(timeoutMs = DEFAULT_STOP_TIMEOUT_MS): Promise<boolean> {
      started = false;
      clearTimeout(pollTimer);
      const running = runner.inflight();
      if (running.length === 0) return true;
      let timer: Timer | undefined;
      const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(resolve, timeoutMs, false)));
      const drained = await Promise.race([Promise.allSettled(running).then(() => true), timeout]);
      clearTimeout(timer);
      if (!drained) log.warn({ running: runner.inflight().length }, 'queue stopped with handlers still running');
      return drained;
    },

    /** Claims and runs every job due by the clock, one after the other (ignores concurrency). */
    async runDue(): Promise<RunSummary> {
      const summary: RunSummary = { ran: 0, succeeded: 0, failed: 0, dead: 0 };
      for (let next = claim(false); next; next = claim(false)) {
        if (next.row.attempts <= next.row.maxAttempts) summary.ran++;
        const outcome = await runner.run(next.row, next.kind);
        if (outcome !== 'lost') summary[outcome]++;
      }
      return summary;
    },

    /** Jobs newest first, filtered by status and kind, paged by id (what an operator reads). */
    list: (filter?: JobFilter): JobRecord[] => inspector.list(filter),
    get: (id: number): JobRecord | null => inspector.get(id),
    /** The job holding a unique key (e.g. the one enqueued for a given piece of work), if any. */
    byUniqueKey: (key: string): JobRecord | null => inspector.byUniqueKey(key),
    byUniqueKeyPrefix: (prefix: string): JobRecord[] => inspector.byUniqueKeyPrefix(prefix),

    /**
     * Sends a dead job back to `ready`, due now, with its kind's attempts budget again; null
     * when it is not dead. Call it inside the caller's transaction to record why in the same one.
     */
    retryDead(id: number): JobRecord | null {
      const row = inspector.get(id);
      if (row?.status !== 'dead') return null;
      const budget = kinds.get(row.kind)?.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
      const revived = inspector.revive(id, clock.now(), budget);
      if (revived) wake();
      return revived;
    },

    /** Deletes a dead job (gone from the counts and the gauges); null when it is not dead. */
    discardDead: (id: number): JobRecord | null => inspector.drop(id),

    /** Counts by status and by kind, and the wait of the oldest due ready job. */
    stats(): QueueStats {
      const byKind = store.countByKind();
      const byStatus = zeroCounts();
      for (const counts of Object.values(byKind)) for (const status of JOB_STATUSES) byStatus[status] += counts[status];
      return { byStatus, byKind, oldestReadyAgeSeconds: store.oldestReadyAgeMs(clock.now()) / 1000 };
    },
  };
}

export type Queue<K extends JobKinds = JobKinds> = ReturnType<typeof createQueue<K>>;
