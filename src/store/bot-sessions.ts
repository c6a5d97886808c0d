import { eq } from 'drizzle-orm';
import type { Clock } from '../lib/clock.ts';
import type { Db } from './database.ts';
import { botSessions } from './schema/index.ts';

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

export function botSessionStore<T>(db: Db, clock: Clock): JsonStore<T> {
  return {
    read(key) {
      const row = db.select({ value: botSessions.value }).from(botSessions).where(eq(botSessions.key, key)).get();
      if (!row) return undefined;
      try {
        return JSON.parse(row.value) as T;
      } catch {
        // A row written by a broken deploy: the chat starts afresh rather than failing every update.
        return undefined;
      }
    },
    write(key, value) {
      const json = JSON.stringify(value);
      const updatedAt = clock.now();
      db.insert(botSessions)
        .values({ key, value: json, updatedAt })
        .onConflictDoUpdate({ target: botSessions.key, set: { value: json, updatedAt } })
        .run();
    },
    delete(key) {
      db.delete(botSessions).where(eq(botSessions.key, key)).run();
    },
  };
}
