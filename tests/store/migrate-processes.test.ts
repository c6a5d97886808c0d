/**
 * Several processes starting at once on one fresh database file (compose `--scale`, one volume):
 * each opens the store and migrates; exactly one applies the migrations, none fails.
 */
import { afterAll, expect, test } from 'bun:test';
import { Database } from 'bun:sqlite';
import { join } from 'node:path';
import { tempDir } from '../support/env.ts';
import { repoRoot } from '../support/process.ts';
import { embeddedMigrations } from '../../src/store/migrations.gen.ts';

const dir = tempDir('techbot-migrate-');
afterAll(() => dir.cleanup());

const PROCESSES = 4;

test(`${PROCESSES} processes migrating one fresh file at the same moment: one applies, none fails`, async () => {
  const file = join(dir.path, 'shop.db');
  // Each process loads its modules, then waits for a common instant, so that they open and migrate together.
  const startAt = Date.now() + 1500;
  const script = `
    const { openStore } = await import(${JSON.stringify(join(repoRoot, 'src/store/database.ts'))});
    const { migrate } = await import(${JSON.stringify(join(repoRoot, 'src/store/migrate.ts'))});
    while (Date.now() < ${startAt});
    const store = openStore(${JSON.stringify(file)});
    console.log(JSON.stringify(migrate(store.db).length));
    store.close();
  `;
  const runs = Array.from({ length: PROCESSES }, () =>
    Bun.spawn([process.execPath, '-e', script], { cwd: repoRoot, stdout: 'pipe', stderr: 'pipe' }),
  );
  const results = await Promise.all(
    runs.map(async (run) => ({
      code: await run.exited,
      out: (await new Response(run.stdout).text()).trim(),
      err: await new Response(run.stderr).text(),
    })),
  );
  expect(results.map((r) => [r.code, r.err])).toEqual(results.map(() => [0, '']));
  const applied = results.map((r) => Number(r.out)).sort((x, y) => y - x);
  expect(applied).toEqual([embeddedMigrations.length, ...Array<number>(PROCESSES - 1).fill(0)]);
  const sqlite = new Database(file, { readonly: true });
  expect(sqlite.query('SELECT COUNT(*) AS n FROM __drizzle_migrations').get()).toEqual({
    n: embeddedMigrations.length,
  });
  sqlite.close();
});
