/**
 * IPNs applied together: each in its own savepoint, all in one commit, each answered with its own
 * result; one that throws is undone alone; a commit that fails fails them all (NOWPayments sends
 * them again).
 */
import { Database } from 'bun:sqlite';
import { expect, test } from 'bun:test';
import { drizzle } from 'drizzle-orm/bun-sqlite';
import { join } from 'node:path';
import { batchedIpns } from '../../src/modules/payments/ipn-batch.ts';
import type { Db } from '../../src/store/database.ts';
import { tempDir } from '../support/env.ts';

function setup(fail: (raw: string) => boolean, path = ':memory:') {
  const sqlite = new Database(path);
  sqlite.run('CREATE TABLE applied (raw TEXT NOT NULL)');
  const db = drizzle({ client: sqlite }) as Db;
  const transactions: boolean[] = [];
  const handle = batchedIpns(db, (raw) => {
    transactions.push(sqlite.inTransaction);
    sqlite.run('INSERT INTO applied (raw) VALUES (?)', [raw]);
    if (fail(raw)) throw new Error(`cannot apply ${raw}`);
    return { outcome: 'applied' };
  });
  const rows = () =>
    (sqlite.query('SELECT raw FROM applied ORDER BY raw').all() as { raw: string }[]).map((r) => r.raw);
  return { sqlite, handle, rows, transactions };
}

test('IPNs of the same moment are applied in one transaction, each answered', async () => {
  const { handle, rows, transactions } = setup(() => false);
  const answers = await Promise.all(['a', 'b', 'c'].map((raw) => handle(raw, 'sig')));
  expect(answers).toEqual([{ outcome: 'applied' }, { outcome: 'applied' }, { outcome: 'applied' }]);
  expect(rows()).toEqual(['a', 'b', 'c']);
  expect(transactions).toEqual([true, true, true]);
  // Later, alone: a batch of one.
  expect(await handle('d', 'sig')).toEqual({ outcome: 'applied' });
  expect(rows()).toEqual(['a', 'b', 'c', 'd']);
});

test('one that throws is undone alone and gets its error; the others are kept', async () => {
  const { handle, rows } = setup((raw) => raw === 'b');
  const answers = await Promise.allSettled(['a', 'b', 'c'].map((raw) => handle(raw, 'sig')));
  expect(answers.map((a) => a.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  expect(String((answers[1] as PromiseRejectedResult).reason)).toContain('cannot apply b');
  expect(rows()).toEqual(['a', 'c']);
});

test('a transaction that cannot take the write lock fails every IPN of the batch, and keeps none', async () => {
  const dir = tempDir('techbot-ipn-batch-');
  try {
    const path = join(dir.path, 'shop.db');
    const { handle, rows } = setup(() => false, path);
    // Another process writing, past the busy timeout (none here): BEGIN IMMEDIATE is refused.
    const other = new Database(path);
    other.run('BEGIN IMMEDIATE');
    const answers = await Promise.allSettled(['a', 'b'].map((raw) => handle(raw, 'sig')));
    expect(answers.map((a) => a.status)).toEqual(['rejected', 'rejected']);
    other.run('ROLLBACK');
    other.close();
    expect(rows()).toEqual([]);
    expect(await handle('c', 'sig')).toEqual({ outcome: 'applied' });
  } finally {
    dir.cleanup();
  }
});
