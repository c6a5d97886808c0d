import type { MigrationMeta } from 'drizzle-orm/migrator';
import type { Db } from './database.ts';
import { embeddedMigrations } from './migrations.gen.ts';

const MIGRATIONS_TABLE = '__drizzle_migrations';

interface EmbeddedMigration {
  tag: string;
  when: number;
  breakpoints: boolean;
  sql: string;
}

/** Same shape and hash that drizzle-kit's folder reader produces, from embedded text. */
function toMeta(m: EmbeddedMigration): MigrationMeta {
  return {
    sql: m.breakpoints ? m.sql.split('--> statement-breakpoint') : [m.sql],
    bps: m.breakpoints,
    folderMillis: m.when,
    hash: new Bun.CryptoHasher('sha256').update(m.sql).digest('hex'),
  };
}

function lastApplied(db: Db): number {
  const exists = db.$client
    .query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")
    .get(MIGRATIONS_TABLE);
  if (!exists) return -1;
  const row = db.$client.query(`SELECT MAX(created_at) AS last FROM ${MIGRATIONS_TABLE}`).get() as {
    last: number | null;
  };
  return row.last === null ? -1 : Number(row.last);
}

/**
 * A migration SQLite refused. Every pending migration runs in one transaction, so none of them
 * is applied: the database is as it was, and the previous binary still runs on it.
 */
export class MigrationError extends Error {
  constructor(
    readonly tag: string,
    cause: unknown,
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    // Rows whose foreign keys point nowhere (left by hand edits) stop a migration that copies a table.
    const hint = /FOREIGN KEY/i.test(reason)
      ? ' (`PRAGMA foreign_key_check` in sqlite3 lists the rows whose foreign keys point nowhere)'
      : '';
    super(`database migration ${tag} failed, nothing was changed: ${reason}${hint}`, { cause });
    this.name = 'MigrationError';
  }
}

/**
 * Applies the migrations the database has not seen yet, in one transaction, in drizzle's
 * migrations table (so a database migrated by drizzle-kit is recognised, and the other way round).
 * The transaction is IMMEDIATE and reads what was applied inside it: processes starting together
 * on one file (busy_timeout makes them wait) migrate one after the other, and the later ones find
 * nothing left to do. drizzle's own migrator reads before its deferred BEGIN, so two processes
 * could both apply the same migration. Returns the tags applied; an up-to-date database gets none.
 */
export function migrate(db: Db, migrations: EmbeddedMigration[] = embeddedMigrations): string[] {
  const sqlite = db.$client;
  return sqlite
    .transaction(() => {
      sqlite.run(
        `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)`,
      );
      const last = lastApplied(db);
      const pending = migrations.filter((m) => m.when > last);
      for (const migration of pending) {
        const meta = toMeta(migration);
        try {
          for (const statement of meta.sql) sqlite.run(statement);
        } catch (error) {
          throw new MigrationError(migration.tag, error);
        }
        sqlite.run(`INSERT INTO ${MIGRATIONS_TABLE} ("hash", "created_at") VALUES (?, ?)`, [
          meta.hash,
          meta.folderMillis,
        ]);
      }
      return pending.map((m) => m.tag);
    })
    .immediate();
}

/** True when every embedded migration has been applied. */
export function isMigrated(db: Db, migrations: EmbeddedMigration[] = embeddedMigrations): boolean {
  const newest = migrations.at(-1)?.when ?? -1;
  return lastApplied(db) >= newest;
}
