/**
 * Several processes starting at once on one fresh database file (compose `--scale`, one volume):
 * each opens the store and migrates, or first writes the file from the migrated image as the app
 * does; exactly one creates or migrates it, none fails.
 */
import { afterAll, expect, test } from 'bun:test';
import { Database } from 'bun:sqlite';
import { join } from 'node:path';
import { tempDir } from '../support/env.ts';
import { repoRoot, runCommand } from '../support/process.ts';
import { embeddedMigrations } from '../../src/store/migrations.gen.ts';

const dir = tempDir('techbot-migrate-');
afterAll(() => dir.cleanup());

const PROCESSES = 4;

/** Runs `body` (which prints a number) in PROCESSES processes at one common instant; their outputs. */
async function atOnce(file: string, body: string): Promise<number[]> {
  // Each process loads its modules, then waits for a common instant, so that they open and migrate together.
  const startAt = Date.now() + 1500;
  const module = (name: string) => JSON.stringify(join(repoRoot, `src/store/${name}.ts`));
  const script = `
    const { openStore } = await import(${module('database')});
    const { migrate } = await import(${module('migrate')});
    const { createFromImage } = await import(${module('initial-database')});
    const file = ${JSON.stringify(file)};
    while (Date.now() < ${startAt});
    ${body}
  `;
  const results = await Promise.all(
    Array.from({ length: PROCESSES }, () => runCommand([process.execPath, '-e', script])),
  );
  expect(results.map((r) => [r.code, r.stderr])).toEqual(results.map(() => [0, '']));
  return results.map((r) => Number(r.stdout.trim())).sort((x, y) => y - x);
}

function expectMigratedOnce(file: string) {
  const sqlite = new Database(file, { readonly: true });
  expect(sqlite.query('SELECT COUNT(*) AS n FROM __drizzle_migrations').get()).toEqual({
    n: embeddedMigrations.length,
  });
  expect(sqlite.query('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' });
  sqlite.close();
}

test(`${PROCESSES} processes migrating one fresh file at the same moment: one applies, none fails`, async () => {
  const file = join(dir.path, 'shop.db');
  const applied = await atOnce(
    file,
    'const store = openStore(file); console.log(migrate(store.db).length); store.close();',
  );
  expect(applied).toEqual([embeddedMigrations.length, ...Array<number>(PROCESSES - 1).fill(0)]);
  expectMigratedOnce(file);
});

test(`${PROCESSES} processes writing one fresh file from the image at the same moment: one writes it, none fails`, async () => {
  const file = join(dir.path, 'imaged.db');
  const created = await atOnce(
    file,
    `const created = createFromImage(file).length;
     const store = openStore(file);
     const applied = migrate(store.db).length;
     store.sqlite.run("INSERT INTO sellers (display_name, created_at, updated_at) VALUES ('p', 1, 1)");
     store.close();
     console.log(created + applied);`,
  );
  expect(created).toEqual([embeddedMigrations.length, ...Array<number>(PROCESSES - 1).fill(0)]);
  expectMigratedOnce(file);
  const sqlite = new Database(file, { readonly: true });
  expect(sqlite.query('SELECT COUNT(*) AS n FROM sellers').get()).toEqual({ n: PROCESSES });
  sqlite.close();
});
