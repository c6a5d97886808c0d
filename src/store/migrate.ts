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
  const row = db.$client
    .query(`SELECT MAX(created_at) AS last FROM ${MIGRATIONS_TABLE}`)
    .get() as { last: number | null };
  return row.last === null ? -1 : Number(row.last);
}

/**
 * Applies the migrations the database has not seen yet, in one transaction, through
 * drizzle's own migrator (so a database migrated by drizzle-kit is recognised).
 * Returns the tags applied; an up-to-date database gets none.
 */
export function migrate(db: Db, migrations: EmbeddedMigration[] = embeddedMigrations): string[] {
  const last = lastApplied(db);
  const pending = migrations.filter((m) => m.when > last).map((m) => m.tag);
  if (pending.length === 0) return [];
  const dialect = (db as unknown as { dialect: { migrate: (m: MigrationMeta[], s: unknown, c: object) => void } })
    .dialect;
  const session = (db as unknown as { session: unknown }).session;
  dialect.migrate(migrations.map(toMeta), session, { migrationsTable: MIGRATIONS_TABLE });
  return pending;
}

/** True when every embedded migration has been applied. */
export function isMigrated(db: Db, migrations: EmbeddedMigration[] = embeddedMigrations): boolean {
  const newest = migrations.at(-1)?.when ?? -1;
  return lastApplied(db) >= newest;
}
