/**
 * What the queue's table costs to keep: the age of the oldest due job (read at every metrics
 * scrape) stays a few index seeks however many finished jobs pile up, and only jobs with a
 * unique key have an entry in the key's index.
 */
import { afterEach, describe, expect, test } from 'bun:test';
import { createJobStore, OLDEST_READY_SQL } from '../../src/lib/queue/store.ts';
import { openStore, type Store } from '../../src/store/database.ts';
import { migrate } from '../../src/store/migrate.ts';

const NOW = 1_000_000;
const stores: Store[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
});

function jobsTable() {
  const s = openStore(':memory:');
  migrate(s.db);
  stores.push(s);
  const jobs = createJobStore(s.sqlite);
  const add = (kind: string, runAt: number, uniqueKey?: string) =>
    jobs.insert({ kind, payload: '{}', runAt, maxAttempts: 5, uniqueKey, now: 0 });
  return { s, jobs, add };
}

describe('job store', () => {
  test('the oldest due job is aged across kinds, past a backlog of finished jobs, by index seeks only', () => {
    const { s, jobs, add } = jobsTable();
    expect(jobs.oldestReadyAgeMs(NOW)).toBe(0);
    s.sqlite.transaction(() => {
      for (let i = 0; i < 3_000; i++) add(i % 2 ? 'mail' : 'deliver', i);
      s.sqlite.run("UPDATE jobs SET status = 'done'");
      add('mail', NOW - 500);
      add('report', NOW - 2_000);
      add('deliver', NOW + 60_000); // not due: not waiting
    })();
    expect(jobs.oldestReadyAgeMs(NOW)).toBe(2_000);
    expect(jobs.countByStatus()).toEqual({ ready: 3, running: 0, done: 3_000, dead: 0 });
    for (const analysed of [false, true]) {
      // PRAGMA optimize (run when the store closes) leaves statistics that may change the plan.
      if (analysed) s.sqlite.run('ANALYZE');
      const accesses = s.sqlite
        .query<{ detail: string }, []>(`EXPLAIN QUERY PLAN ${OLDEST_READY_SQL}`)
        .all()
        .map((row) => row.detail)
        .filter((detail) => /^(SCAN|SEARCH) jobs\b/.test(detail));
      expect(accesses.length).toBe(3);
      // The first kind is the index's first entry; each later step a seek, never a walk.
      expect(accesses[0]).toMatch(/^SEARCH jobs USING COVERING INDEX jobs_claim_idx$/);
      expect(accesses[1]).toMatch(/^SEARCH jobs USING COVERING INDEX jobs_claim_idx \(kind>\?\)$/);
      expect(accesses[2]).toMatch(
        /^SEARCH jobs USING COVERING INDEX jobs_claim_idx \(kind=\? AND status=\? AND run_at<\?\)$/,
      );
    }
  });

  test('only jobs with a unique key have an entry in its index; a key still admits one job', () => {
    const { s, add } = jobsTable();
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
