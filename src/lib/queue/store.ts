import type { Database } from 'bun:sqlite';
import type { Db } from '../../store/database.ts';

export const JOB_STATUSES = ['ready', 'running', 'done', 'dead'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/**
 * The caller's drizzle transaction (or the Db) an `enqueue` belongs to: the queue writes on the
 * store's one connection, so inside that transaction, and the job exists only if it commits.
 */
export type Executor = Pick<Db, 'insert' | 'select'>;

/** A claimed job, as the claim's RETURNING gives it. `attempts` counts this attempt. */
export interface JobRow {
  id: number;
  kind: string;
  payload: string;
  uniqueKey: string | null;
  attempts: number;
  maxAttempts: number;
  runAt: number;
  createdAt: number;
}

export interface NewJob {
  kind: string;
  payload: string;
  runAt: number;
  maxAttempts: number;
  uniqueKey?: string;
  now: number;
}

/**
 * One statement takes a due job of the given kinds: first a running job whose lease expired
 * (its worker died), else the oldest ready job whose time has come. SQLite runs a write
 * statement under the database's write lock from its first read, so two connections, in one
 * process or in two, can never both take the same row. `$leases` is a JSON object kind -> lease
 * length (ms): it both filters the kinds and sets each job's lease. `attempts` grows at claim
 * time, so an attempt that crashes the process counts too (a poison job cannot loop forever); it
 * is also the fencing token of every later write: a worker whose job was taken over writes nothing.
 *
 * The cost must not grow with jobs this process does not run (another process's kinds, a
 * backlog of a kind nobody registers): filtering by kind after a walk of (status, run_at) took
 * 25 ms per claim with 100k due jobs of other kinds. So each kind's candidate is one seek in
 * jobs_claim_idx (kind, status, run_at; the rowid `id` follows), whose first due entry is that
 * kind's oldest; the oldest of those few candidates wins, FIFO across kinds as before. A claim
 * costs a few seeks per registered kind whatever the table holds (bench/queue.bench.ts, and
 * tests/lib/queue-store.test.ts asserts the plan).
 */
export const CLAIM_SQL = `
UPDATE jobs
SET status = 'running',
    attempts = attempts + 1,
    lease_until = $now + (SELECT value FROM json_each($leases) WHERE key = jobs.kind),
    updated_at = $now
WHERE id = COALESCE(
  (SELECT j.id FROM json_each($leases) AS k
   JOIN jobs AS j ON j.id = (SELECT id FROM jobs WHERE kind = k.key AND status = 'running' AND lease_until < $now
                             ORDER BY lease_until LIMIT 1)
   ORDER BY j.lease_until LIMIT 1),
  (SELECT j.id FROM json_each($leases) AS k
   JOIN jobs AS j ON j.id = (SELECT id FROM jobs WHERE kind = k.key AND status = 'ready' AND run_at <= $now
                             ORDER BY run_at, id LIMIT 1)
   ORDER BY j.run_at, j.id LIMIT 1)
)
RETURNING id, kind, payload, unique_key AS uniqueKey, attempts, max_attempts AS maxAttempts,
          run_at AS runAt, created_at AS createdAt`;

/** Each kind in jobs_claim_idx, found by a seek past the previous one. */
const KINDS = `WITH RECURSIVE kinds(kind) AS (
  SELECT MIN(kind) FROM jobs
  UNION ALL SELECT (SELECT MIN(kind) FROM jobs WHERE kind > kinds.kind) FROM kinds WHERE kinds.kind IS NOT NULL
)`;

/**
 * When the oldest due ready job was due, across every kind (read at each metrics scrape): per
 * kind, one seek in jobs_claim_idx. A plain MIN over the status walked every entry of the index:
 * 11 ms per scrape with 200k finished jobs, against 0.04 ms this way.
 */
export const OLDEST_READY_SQL = `${KINDS}
SELECT MIN((SELECT MIN(run_at) FROM jobs WHERE kind = kinds.kind AND status = 'ready' AND run_at <= $now)) AS oldest
FROM kinds WHERE kind IS NOT NULL`;

/**
 * The jobs by status (each metrics scrape). Finished jobs stay, so `done` is nearly the whole
 * table, and a GROUP BY walked every entry: with a million jobs in a file, 40 ms over the old
 * jobs_ready_idx, 63 ms over jobs_claim_idx. The few ready, running and dead jobs are counted by
 * ranges of jobs_claim_idx, and `done` is the rest of the table's count, which SQLite takes from
 * the index's pages without decoding its entries: 18 ms.
 */
export const STATUS_COUNTS_SQL = `${KINDS}
SELECT s.value AS status, (SELECT COUNT(*) FROM jobs WHERE kind = kinds.kind AND status = s.value) AS n
FROM kinds, json_each('["ready","running","dead"]') AS s WHERE kinds.kind IS NOT NULL
UNION ALL SELECT 'all', (SELECT COUNT(*) FROM jobs)`;

const FENCE = "WHERE id = $id AND status = 'running' AND attempts = $attempts";

/** The queue's raw SQL on the store's connection (the claim needs a single UPDATE ... RETURNING). */
export function createJobStore(sqlite: Database) {
  // The write an IPN's transaction makes twice (deliver, notify-sale): prepared once here. The
  // conflict target repeats the condition of the partial unique index, or SQLite finds no match.
  const insertStmt = sqlite.query<{ id: number }, Omit<NewJob, 'uniqueKey'> & { uniqueKey: string | null }>(
    `INSERT INTO jobs (kind, payload, unique_key, status, attempts, max_attempts, run_at, created_at, updated_at)
     VALUES ($kind, $payload, $uniqueKey, 'ready', 0, $maxAttempts, $runAt, $now, $now)
     ON CONFLICT (unique_key) WHERE unique_key IS NOT NULL DO NOTHING RETURNING id`,
  );
  const byKeyStmt = sqlite.query<{ id: number }, { uniqueKey: string }>(
    'SELECT id FROM jobs WHERE unique_key = $uniqueKey',
  );
  const claimStmt = sqlite.query<JobRow, { now: number; leases: string }>(CLAIM_SQL);
  const renewStmt = sqlite.query(`UPDATE jobs SET lease_until = $leaseUntil, updated_at = $now ${FENCE}`);
  const doneStmt = sqlite.query(
    `UPDATE jobs SET status = 'done', finished_at = $now, lease_until = NULL, updated_at = $now ${FENCE}`,
  );
  const retryStmt = sqlite.query(
    `UPDATE jobs SET status = 'ready', run_at = $runAt, last_error = $error, lease_until = NULL, updated_at = $now
       ${FENCE}`,
  );
  const deadStmt = sqlite.query(
    `UPDATE jobs SET status = 'dead', attempts = $finalAttempts, last_error = $error, finished_at = $now,
       lease_until = NULL, updated_at = $now ${FENCE}`,
  );
  const byKindStmt = sqlite.query<{ kind: string; status: JobStatus; n: number }, []>(
    'SELECT kind, status, COUNT(*) AS n FROM jobs GROUP BY kind, status',
  );
  const oldestStmt = sqlite.query<{ oldest: number | null }, { now: number }>(OLDEST_READY_SQL);
  const statusCountsStmt = sqlite.query<{ status: JobStatus | 'all'; n: number }, []>(STATUS_COUNTS_SQL);

  const fenced = (row: JobRow) => ({ id: row.id, attempts: row.attempts });

  return {
    /** Inserts a ready job; with a unique key already taken, returns the existing job's id instead. */
    insert(job: NewJob): number {
      const uniqueKey = job.uniqueKey ?? null;
      const inserted = insertStmt.get({ ...job, uniqueKey });
      if (inserted) return inserted.id;
      const existing = uniqueKey === null ? null : byKeyStmt.get({ uniqueKey });
      if (!existing) throw new Error(`job insert of kind "${job.kind}" neither inserted nor found a duplicate`);
      return existing.id;
    },
    /** Claims the oldest due job among `leases`' kinds, or null. */
    claim(now: number, leases: Record<string, number>): JobRow | null {
      return claimStmt.get({ now, leases: JSON.stringify(leases) });
    },
    /** Each write below returns false when the job is no longer this attempt's (lease lost). */
    renew(row: JobRow, leaseUntil: number, now: number): boolean {
      return renewStmt.run({ ...fenced(row), leaseUntil, now }).changes === 1;
    },
    done(row: JobRow, now: number): boolean {
      return doneStmt.run({ ...fenced(row), now }).changes === 1;
    },
    retry(row: JobRow, runAt: number, error: string, now: number): boolean {
      return retryStmt.run({ ...fenced(row), runAt, error, now }).changes === 1;
    },
    dead(row: JobRow, finalAttempts: number, error: string, now: number): boolean {
      return deadStmt.run({ ...fenced(row), finalAttempts, error, now }).changes === 1;
    },
    countByStatus(): Record<JobStatus, number> {
      const counts = zeroCounts();
      let all = 0;
      for (const { status, n } of statusCountsStmt.all()) {
        if (status === 'all') all = n;
        else counts[status] += n;
      }
      counts.done = all - counts.ready - counts.running - counts.dead;
      return counts;
    },
    countByKind(): Record<string, Record<JobStatus, number>> {
      const counts: Record<string, Record<JobStatus, number>> = {};
      for (const { kind, status, n } of byKindStmt.all()) (counts[kind] ??= zeroCounts())[status] = n;
      return counts;
    },
    /** How long the oldest due ready job has waited (ms), 0 when none waits. */
    oldestReadyAgeMs(now: number): number {
      const oldest = oldestStmt.get({ now })?.oldest ?? null;
      return oldest === null ? 0 : Math.max(0, now - oldest);
    },
    /** Runs `fn` in one immediate transaction (BEGIN IMMEDIATE: takes the write lock first). */
    atomically<T>(fn: () => T): T {
      return sqlite.transaction(fn).immediate();
    },
  };
}

export type JobStore = ReturnType<typeof createJobStore>;

export function zeroCounts(): Record<JobStatus, number> {
  return { ready: 0, running: 0, done: 0, dead: 0 };
}
