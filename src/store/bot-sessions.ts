import { eq, sql } from 'drizzle-orm';
import type { Db } from './database.ts';
import { botSessions } from './schema/index.ts';
import { preparedOnFirstUse } from './lazy-statement.ts';

/**
 * What the bot keeps between updates, one JSON row per key in the bot_sessions table: each
 * chat's session (key = chat id) and the state of its conversations (key = `conv:<chat id>`).
 * The shape of grammY's storage adapters (read, write, delete), without depending on grammY.
 */
export interface JsonStore<T> {
  read(key: string): T | undefined;
  write(key: string, value: T): void;
  delete(key: string): void;
}

/**
 * Read and written on every update (the session, and the conversations' state): the statements
 * are prepared once, which halves what a read costs next to building the query each time.
 * `clock`: the app's (lib/clock.ts), given structurally: the store sits below lib.
 */
export function botSessionStore<T>(db: Db, clock: { now(): number }): JsonStore<T> {
  const select = preparedOnFirstUse(() =>
    db
      .select({ value: botSessions.value })
      .from(botSessions)
      .where(eq(botSessions.key, sql.placeholder('key')))
      .prepare(),
  );
  const upsert = preparedOnFirstUse(() =>
    db
      .insert(botSessions)
      .values({ key: sql.placeholder('key'), value: sql.placeholder('value'), updatedAt: sql.placeholder('updatedAt') })
      .onConflictDoUpdate({
        target: botSessions.key,
        set: { value: sql`excluded.value`, updatedAt: sql`excluded.updated_at` },
      })
      .prepare(),
  );
  const remove = preparedOnFirstUse(() =>
    db
      .delete(botSessions)
      .where(eq(botSessions.key, sql.placeholder('key')))
      .prepare(),
  );
  /**
   * Each key's stored text as this update read it (null: no row), taken back by its write or
   * delete: an update that changed nothing writes nothing (most updates leave the session and
   * the conversations as they were; each write was a write transaction). Only a read of the same
   * update counts, so a value another process wrote meanwhile is never assumed. Reads that no
   * write follows (most updates read `conv:<chat>` and leave it) leave their entry until the
   * chat's next read replaces it; the bound clears them all, which only costs a write or two.
   */
  const asRead = new Map<string, string | null>();
  const MAX_PENDING = 1_000;
  function readBack(key: string): string | null | undefined {
    const text = asRead.get(key);
    asRead.delete(key);
    return text;
  }
  return {
    read(key) {
      const row = select.get({ key });
      if (asRead.size >= MAX_PENDING) asRead.clear();
      asRead.set(key, row?.value ?? null);
      if (!row) return undefined;
      try {
        return JSON.parse(row.value) as T;
      } catch {
        // A row written by a broken deploy: the chat starts afresh rather than failing every update.
        return undefined;
      }
    },
    write(key, value) {
      const text = JSON.stringify(value);
      if (readBack(key) === text) return;
      upsert.run({ key, value: text, updatedAt: clock.now() });
    },
    delete(key) {
      if (readBack(key) === null) return;
      remove.run({ key });
    },
  };
}
