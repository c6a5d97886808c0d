import { afterEach, describe, expect, test } from 'bun:test';
import { CLAIM_SQL, createJobStore } from '../../src/lib/queue/store.ts';
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
  return { s, add, claim: createJobStore(s.sqlite).claim };
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
