import type { Database } from 'bun:sqlite';
import type { JobStatus } from './store.ts';

/** A job as an operator looks at it (the payload still JSON text: the caller knows its kinds). */
export interface JobRecord {
  id: number;
  kind: string;
  payload: string;
  uniqueKey: string | null;
  status: JobStatus;
  attempts: number;
  maxAttempts: number;
  runAt: number;
  lastError: string | null;
  createdAt: number;
  updatedAt: number;
  finishedAt: number | null;
}

export interface JobFilter {
  status?: JobStatus;
  kind?: string;
  /** Keyset paging: only jobs with a smaller id (the last id of the previous page). */
  before?: number;
  limit?: number;
}

const COLUMNS = `id, kind, payload, unique_key AS uniqueKey, status, attempts, max_attempts AS maxAttempts,
  run_at AS runAt, last_error AS lastError, created_at AS createdAt, updated_at AS updatedAt, finished_at AS finishedAt`;

/** Pages stay small: the list is read by people, and a dead backlog may be large. */
export const MAX_PAGE = 200;

/**
 * What an operator does with jobs: read them (newest first, by keyset on the id), send a dead
 * job back to `ready`, or delete it. Both changes apply only to a job still `dead`, so a job
 * that another operator already retried (and that may be running) is never touched twice.
 */
export function createJobInspector(sqlite: Database) {
  const listStmt = sqlite.query<
    JobRecord,
    { status: string | null; kind: string | null; before: number | null; limit: number }
  >(
    `SELECT ${COLUMNS} FROM jobs
     WHERE ($status IS NULL OR status = $status) AND ($kind IS NULL OR kind = $kind)
       AND ($before IS NULL OR id < $before)
     ORDER BY id DESC LIMIT $limit`,
  );
  const getStmt = sqlite.query<JobRecord, { id: number }>(`SELECT ${COLUMNS} FROM jobs WHERE id = $id`);
  const byKeyStmt = sqlite.query<JobRecord, { key: string }>(`SELECT ${COLUMNS} FROM jobs WHERE unique_key = $key`);
  // A range on the unique key's index: every key that starts with the prefix (keys are ASCII).
  const byPrefixStmt = sqlite.query<JobRecord, { from: string; to: string }>(
    `SELECT ${COLUMNS} FROM jobs WHERE unique_key >= $from AND unique_key < $to ORDER BY id LIMIT ${MAX_PAGE}`,
  );
  // `attempts` keeps growing (it fences the writes of a worker that lost its lease); the job gets
  // `budget` more attempts on top of those it used.
  const reviveStmt = sqlite.query<JobRecord, { id: number; now: number; budget: number }>(
    `UPDATE jobs SET status = 'ready', run_at = $now, max_attempts = attempts + $budget, finished_at = NULL,
       lease_until = NULL, updated_at = $now
     WHERE id = $id AND status = 'dead' RETURNING ${COLUMNS}`,
  );
  const dropStmt = sqlite.query<JobRecord, { id: number }>(
    `DELETE FROM jobs WHERE id = $id AND status = 'dead' RETURNING ${COLUMNS}`,
  );

  return {
    list(filter: JobFilter = {}): JobRecord[] {
      return listStmt.all({
        status: filter.status ?? null,
        kind: filter.kind ?? null,
        before: filter.before ?? null,
        limit: Math.min(Math.max(filter.limit ?? 50, 1), MAX_PAGE),
      });
    },
    get: (id: number): JobRecord | null => getStmt.get({ id }),
    byUniqueKey: (key: string): JobRecord | null => byKeyStmt.get({ key }),
    /** The jobs whose unique key starts with `prefix`, oldest first (at most MAX_PAGE). */
    byUniqueKeyPrefix: (prefix: string): JobRecord[] => byPrefixStmt.all({ from: prefix, to: `${prefix}\uffff` }),
    /** The dead job back to `ready`, due now, with `budget` more attempts; null if it is not dead (or not there). */
    revive: (id: number, now: number, budget: number): JobRecord | null => reviveStmt.get({ id, now, budget }),
    /** Deletes a dead job (its unique key is free again); null if it is not dead (or not there). */
    drop: (id: number): JobRecord | null => dropStmt.get({ id }),
  };
}

export type JobInspector = ReturnType<typeof createJobInspector>;
