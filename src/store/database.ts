import { Database, SQLiteError } from 'bun:sqlite';
import { drizzle, type BunSQLiteDatabase } from 'drizzle-orm/bun-sqlite';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Queries name their tables (`db.select().from(users)`); no relational `db.query.*` API, whose
 * schema walk costs every connection a few ms at open.
 */
export type Db = BunSQLiteDatabase & { $client: Database };
/** A transaction in progress: services that must write together take one from their caller. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export interface Store {
  sqlite: Database;
  db: Db;
  close(): void;
}

/**
 * Opens (creating if needed) the SQLite database. WAL lets readers run while a writer
 * commits; busy_timeout makes a second writer wait instead of failing at once. With `image`
 * (the bytes of a database, as `serialize()` gives them) the database is a copy of it in
 * memory (`path` ':memory:'), e.g. one migrated database copied for each test app.
 */
export function openStore(path: string, options: { image?: Uint8Array } = {}): Store {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = options.image
    ? Database.deserialize(options.image, { strict: true })
    : new Database(path, { create: true, strict: true });
  // First: switching a fresh file to WAL takes a lock that other processes starting at once also want.
  sqlite.run('PRAGMA busy_timeout = 5000');
  if (path !== ':memory:') {
    switchToWal(sqlite);
    // A checkpoint every 4,000 WAL pages (16 MB) instead of SQLite's 1,000: a page many commits
    // touch (the ends of the jobs and orders indexes) is copied back once per checkpoint, and
    // each checkpoint syncs twice. A paid IPN cost 6-9% less CPU (in process, chunks of 1,000
    // IPNs alternated: medians 389 -> 364 and 347 -> 316 µs). Durability hardly moves: with
    // synchronous=NORMAL no commit is synced on its own either way, the kernel writes the WAL back
    // within ~30 s (vm.dirty_expire_centisecs) whatever the interval, and only at high traffic
    // did a checkpoint's sync come sooner.
    sqlite.run('PRAGMA wal_autocheckpoint = 4000');
  }
  sqlite.run('PRAGMA foreign_keys = ON');
  sqlite.run('PRAGMA synchronous = NORMAL');
  const db = drizzle({ client: sqlite }) as Db;
  let closed = false;
  return {
    sqlite,
    db,
    close() {
      if (closed) return;
      closed = true;
      if (path !== ':memory:') sqlite.run('PRAGMA optimize');
      sqlite.close();
    },
  };
}

/** How long processes starting together on one fresh file may take turns switching it to WAL. */
const WAL_SWITCH_MS = 5000;

/**
 * `PRAGMA journal_mode = WAL` on a fresh file needs its exclusive lock. When two processes both
 * hold the shared lock and both ask for it (compose `--scale` starting replicas on one volume),
 * SQLite answers SQLITE_BUSY at once to one of them instead of waiting (busy_timeout cannot break
 * that deadlock): that one lets go and tries again, a few milliseconds later, until the file is in
 * WAL (set by whichever won) or the time is up.
 */
function switchToWal(sqlite: Database): void {
  const deadline = Date.now() + WAL_SWITCH_MS;
  for (;;) {
    try {
      sqlite.run('PRAGMA journal_mode = WAL');
      return;
    } catch (error) {
      if (!(error instanceof SQLiteError && error.code === 'SQLITE_BUSY') || Date.now() >= deadline) throw error;
      Bun.sleepSync(2 + Math.random() * 8);
    }
  }
}

/**
 * A second, read-only connection to a database file that openStore opened (and migrated): WAL
 * lets it read while the first one writes, each statement seeing the last commit.
 */
export function openReader(path: string): Db {
  const sqlite = new Database(path, { readonly: true, strict: true });
  sqlite.run('PRAGMA busy_timeout = 5000');
  return drizzle({ client: sqlite }) as Db;
}

/** A consistent online copy of the live database (readers and writers keep going). */
export function backupStore(sqlite: Database, target: string): void {
  mkdirSync(dirname(target), { recursive: true });
  sqlite.run('VACUUM INTO ?', [target]);
}
