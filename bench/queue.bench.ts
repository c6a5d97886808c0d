/**
 * One job claim (lib/queue/store.ts) on a real database file (WAL) holding 100,000 due jobs of
 * kinds this process does not run, then 100,000 more of its own kinds: each claim must stay
 * under a millisecond. The ceiling is the cheapest write on the same table, an UPDATE of one
 * job by primary key, timed in the same run.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createJobStore } from '../src/lib/queue/store.ts';
import { openStore, type Store } from '../src/store/database.ts';
import { migrate } from '../src/store/migrate.ts';
import { printTable, ratio, verdict } from './support/table.ts';

const BACKLOG = 100_000;
const CLAIMS = 2_000;
const CHECKPOINT_EVERY = 100;
const TARGET_MS = 1;
/** The kinds app.ts registers, with their lease. */
const LEASES = { deliver: 30_000, 'notify-sale': 30_000, 'reconcile-payments': 30_000, 'expire-orders': 30_000 };
const NOW = Date.UTC(2026, 11, 1);

let dir: string;
let store: Store;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'techbot-bench-queue-'));
  store = openStore(join(dir, 'techbot.db'));
  migrate(store.db);
}, 60_000);

afterAll(() => {
  store?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function addJobs(kinds: string[], count: number, firstRunAt: number) {
  const insert = store.sqlite.query(
    `INSERT INTO jobs (kind, payload, status, attempts, max_attempts, run_at, created_at, updated_at)
     VALUES (?, '{"order":"bench"}', 'ready', 0, 5, ?, ?, ?)`,
  );
  store.sqlite.transaction(() => {
    for (let i = 0; i < count; i++) insert.run(kinds[i % kinds.length]!, firstRunAt + i, NOW, NOW);
  })();
}

/** Milliseconds of each call of `fn`, sorted. */
function timings(n: number, fn: (i: number) => void): number[] {
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    fn(i);
    ms.push(performance.now() - start);
  }
  return ms.sort((a, b) => a - b);
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;

test('a claim stays under a millisecond whatever the backlog', () => {
  const jobs = createJobStore(store.sqlite);
  const touch = store.sqlite.query('UPDATE jobs SET updated_at = ? WHERE id = ?');
  // WAL checkpoints, untimed: left to SQLite, one write in a few hundred (claim or not) copies
  // the WAL into the database file, 1-4 ms on this shared machine; that cost belongs to every
  // write, not to how a claim finds its job.
  store.sqlite.run('PRAGMA wal_autocheckpoint = 0');
  const checkpoint = () => store.sqlite.run('PRAGMA wal_checkpoint(PASSIVE)');
  const scenarios: { name: string; claims: number[]; ceiling: number[] }[] = [];

  const measure = (name: string) => {
    const claimed: number[] = [];
    const claims: number[] = [];
    for (let i = 0; i < CLAIMS; i++) {
      const start = performance.now();
      const row = jobs.claim(NOW, LEASES);
      claims.push(performance.now() - start);
      if (!row) break;
      claimed.push(row.id);
      // It finishes, as a worker's job would: running jobs stay as few as the handlers.
      jobs.done(row, NOW);
      if (i % CHECKPOINT_EVERY === 0) checkpoint();
    }
    claims.sort((a, b) => a - b);
    // Every claim took one of our jobs, the oldest first, never another kind's.
    expect(claimed).toHaveLength(CLAIMS);
    expect(claimed).toEqual([...claimed].sort((a, b) => a - b));
    const kinds = store.sqlite.query(`SELECT DISTINCT kind FROM jobs WHERE status = 'done'`).all() as {
      kind: string;
    }[];
    expect(kinds.every(({ kind }) => kind in LEASES)).toBe(true);
    const ceiling = timings(CLAIMS, (i) => {
      touch.run(NOW, claimed[i]!);
      if (i % CHECKPOINT_EVERY === 0) checkpoint();
    });
    scenarios.push({ name, claims, ceiling });
  };

  // Other processes' kinds, all due and older than ours; then a few thousand of ours.
  addJobs(['mail', 'report', 'export'], BACKLOG, NOW - 10 * BACKLOG);
  addJobs(['deliver', 'notify-sale'], CLAIMS, NOW - BACKLOG);
  measure(`${BACKLOG.toLocaleString('en-US')} due jobs of other kinds`);
  // Then a backlog of our own kinds as well.
  addJobs(['deliver', 'notify-sale'], BACKLOG, NOW - BACKLOG);
  measure(`+ ${BACKLOG.toLocaleString('en-US')} due jobs of its own kinds`);

  printTable({
    title: `Job claim on a WAL database file — ${CLAIMS.toLocaleString('en-US')} claims per scenario`,
    columns: [
      'scenario',
      'claim p50 µs',
      'claim p90 µs',
      'claim p99 µs',
      'claim max µs',
      'PK update p50 µs',
      'PK update p99 µs',
      'p50 vs PK update',
      'target',
      'result',
    ],
    rows: scenarios.map(({ name, claims, ceiling }) => [
      name,
      Math.round(pct(claims, 50) * 1000),
      Math.round(pct(claims, 90) * 1000),
      Math.round(pct(claims, 99) * 1000),
      Math.round(pct(claims, 100) * 1000),
      Math.round(pct(ceiling, 50) * 1000),
      Math.round(pct(ceiling, 99) * 1000),
      ratio(pct(claims, 50), pct(ceiling, 50)),
      `p99 < ${TARGET_MS} ms`,
      verdict(pct(claims, 99) < TARGET_MS),
    ]),
    notes: [
      'the claim is one UPDATE ... RETURNING; a PK update is the cheapest write on the table (the ceiling).',
      'times are wall times: on a busy machine a preempted claim (a time slice is 4 ms) shows in the p99.',
      `WAL checkpoints run between claims every ${CHECKPOINT_EVERY} claims, untimed (left to SQLite, they land on 1% of the writes, 1-4 ms each here).`,
    ],
  });
}, 120_000);
