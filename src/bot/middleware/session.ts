import { eq } from 'drizzle-orm';
import { session, type StorageAdapter } from 'grammy';
import type { Clock } from '../../lib/clock.ts';
import type { Db } from '../../store/database.ts';
import { botSessions } from '../../store/schema/index.ts';
import type { BotContext, SessionData } from '../context.ts';

/** grammY's StorageAdapter over the bot_sessions table: one JSON row per chat. */
export function sqliteSessionStorage(db: Db, clock: Clock): StorageAdapter<SessionData> {
  return {
    read(key) {
      const row = db.select({ value: botSessions.value }).from(botSessions).where(eq(botSessions.key, key)).get();
      if (!row) return undefined;
      try {
        return JSON.parse(row.value) as SessionData;
      } catch {
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

/** Per chat (per user in private chats); updates without a chat or sender have no session. */
export const sessionKey = (ctx: Pick<BotContext, 'chat' | 'from'>): string | undefined =>
  ctx.chat?.id !== undefined ? String(ctx.chat.id) : ctx.from?.id !== undefined ? String(ctx.from.id) : undefined;

export function sessionMiddleware(storage: StorageAdapter<SessionData>) {
  return session<SessionData, BotContext>({ initial: () => ({}), storage, getSessionKey: sessionKey });
}
