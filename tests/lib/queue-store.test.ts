/**
 * The queue's SQL (lib/queue/store.ts). The claim takes the right job and reaches it by seeks,
 * whatever backlog other kinds keep; the age of the oldest due job and the counts by status
 * (read at every metrics scrape) stay a few seeks however many finished jobs pile up; only jobs
 * with a unique key have an entry in the key's index.
 */
import { afterEach, describe, expect, test } from 'bun:test';
import { CLAIM_SQL, createJobStore, OLDEST_READY_SQL, STATUS_COUNTS_SQL } from '../../src/lib/queue/store.ts';
import { openStore, type Store } from '../../src/store/database.ts';
import { migrate } from '../../src/store/migrate.ts';

const NOW = 1_000_000;
const LEASES = { deliver: 30_000, 'notify-sale': 30_000 };

const stores: Store[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
});

function jobsTable() {
  const s = openStore(':memory:');
  migrate(s.db);
  stores.push(s);
  const insert = s.sqlite.query(
    `INSERT INTO jobs (kind, payload, status, attempts, max_attempts, run_at, lease_until, created_at, updated_at)
     VALUES ($kind, '{}', $status, 0, 5, $runAt, $leaseUntil, 0, 0)`,
  );
  const add = (kind: string, runAt: number, status = 'ready', leaseUntil: number | null = null) =>
    Number(insert.run({ kind, status, runAt, leaseUntil }).lastInsertRowid);
  const jobs = createJobStore(s.sqlite);
  return { s, add, claim: jobs.claim, jobs };
}

/** The claim's plan lines that touch the jobs table (aliased `j` or not). */
function jobsAccesses(s: Store): string[] {
  const plan = s.sqlite.query<{ detail: string }, []>(`EXPLAIN QUERY PLAN ${CLAIM_SQL}`).all();
  return plan.map((row) => row.detail).filter((detail) => /^(SCAN|SEARCH) (jobs|j)\b/.test(detail));
}

describe('claim', () => {
  test('reaches jobs only through the claim index and the primary key, never by walking the table', () => {
    const { s, add } = jobsTable();
    // A backlog of kinds this process does not run, and a few of its own.
    s.sqlite.transaction(() => {
      for (let i = 0; i < 5_000; i++) add(i % 2 ? 'mail' : 'report', i);
      for (let i = 0; i < 20; i++) add('deliver', 10_000 + i, i % 4 ? 'ready' : 'running', NOW + i);
    })();
    for (const analysed of [false, true]) {
      // PRAGMA optimize (run when the store closes) leaves statistics that may change the plan.
      if (analysed) s.sqlite.run('ANALYZE');
      const accesses = jobsAccesses(s);
      expect(accesses.length).toBeGreaterThan(0);
      for (const access of accesses) {
        expect(access).toMatch(
          /^SEARCH (jobs|j) USING ((COVERING )?INDEX jobs_claim_idx \(kind=\? AND status=\?|INTEGER PRIMARY KEY)/,
        );
      }
    }
  });

  test('takes an expired lease first, then the oldest due job across its kinds, never another kind', () => {
    const { add, claim } = jobsTable();
    add('mail', 1); // older, but not ours
    const sale = add('notify-sale', 50);
    const delivery = add('deliver', 40);
    add('deliver', NOW + 1); // not due yet
    const stale = add('deliver', 90, 'running', NOW - 1);
    add('deliver', 95, 'running', NOW + 1); // its worker still holds it
    expect([1, 2, 3, 4].map(() => claim(NOW, LEASES)?.id ?? null)).toEqual([stale, delivery, sale, null]);
  });
});

/** The plan lines of `sql` that read jobs. */
const plan = (s: Store, sql: string) =>
  s.sqlite
    .query<{ detail: string }, []>(`EXPLAIN QUERY PLAN ${sql}`)
    .all()
    .map((row) => row.detail)
    .filter((detail) => /^(SCAN|SEARCH) jobs\b/.test(detail));

describe('job store', () => {
  test('the oldest due job is aged and the jobs counted by status, past a backlog of finished jobs, by seeks', () => {
    const { s, jobs } = jobsTable();
    const add = (kind: string, runAt: number) => jobs.insert({ kind, payload: '{}', runAt, maxAttempts: 5, now: 0 });
    expect(jobs.oldestReadyAgeMs(NOW)).toBe(0);
    s.sqlite.transaction(() => {
      for (let i = 0; i < 3_000; i++) add(i % 2 ? 'mail' : 'deliver', i);
      s.sqlite.run("UPDATE jobs SET status = 'done'");
      add('mail', NOW - 500);
      add('report', NOW - 2_000);
      add('deliver', NOW + 60_000); // not due: not waiting
    })();
    expect(jobs.oldestReadyAgeMs(NOW)).toBe(2_000);
    s.sqlite.run("UPDATE jobs SET status = 'dead' WHERE id IN (1, 2)");
    s.sqlite.run("UPDATE jobs SET status = 'running' WHERE id = 3");
    expect(jobs.countByStatus()).toEqual({ ready: 3, running: 1, done: 2_997, dead: 2 });
    for (const analysed of [false, true]) {
      // PRAGMA optimize (run when the store closes) leaves statistics that may change the plan.
      if (analysed) s.sqlite.run('ANALYZE');
      const accesses = plan(s, OLDEST_READY_SQL);
      expect(accesses.length).toBe(3);
      // The first kind is the index's first entry; each later step a seek, never a walk.
      expect(accesses[0]).toMatch(/^SEARCH jobs USING COVERING INDEX jobs_claim_idx$/);
      expect(accesses[1]).toMatch(/^SEARCH jobs USING COVERING INDEX jobs_claim_idx \(kind>\?\)$/);
      expect(accesses[2]).toMatch(
        /^SEARCH jobs USING COVERING INDEX jobs_claim_idx \(kind=\? AND status=\? AND run_at<\?\)$/,
      );
      // The counts: seeks too, but for the table's own count (read from its pages' headers).
      const counted = plan(s, STATUS_COUNTS_SQL);
      expect(counted.filter((line) => line.startsWith('SCAN'))).toEqual([
        'SCAN jobs USING COVERING INDEX jobs_claim_idx',
      ]);
      expect(counted).toContain('SEARCH jobs USING COVERING INDEX jobs_claim_idx (kind=? AND status=?)');
    }
  });

  test('only jobs with a unique key have an entry in its index; a key still admits one job', () => {
    const { s, jobs } = jobsTable();
    const add = (kind: string, runAt: number, uniqueKey?: string) =>
      jobs.insert({ kind, payload: '{}', runAt, maxAttempts: 5, uniqueKey, now: 0 });
    for (let i = 0; i < 50; i++) add('notify-sale', i);
    const first = add('deliver', 1, 'deliver:ORD-1');
    expect(add('deliver', 2, 'deliver:ORD-1')).toBe(first);
    const entries = s.sqlite
      .query<{ n: number }, []>("SELECT SUM(ncell) AS n FROM dbstat WHERE name = 'jobs_unique_key_uq'")
      .get();
    expect(entries?.n).toBe(1);
    expect(s.sqlite.query<{ n: number }, []>('SELECT COUNT(*) AS n FROM jobs').get()?.n).toBe(51);
  });
});
