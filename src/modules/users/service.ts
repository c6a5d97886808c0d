import { eq } from 'drizzle-orm';
import type { Clock } from '../../lib/clock.ts';
import { notFound } from '../../lib/errors.ts';
import type { Db } from '../../store/database.ts';
import { users } from '../../store/schema/index.ts';

export type UserRow = typeof users.$inferSelect;

export interface TelegramProfile {
  telegramId: number;
  username?: string | null;
  firstName?: string | null;
  /** Telegram's language_code: `fr...` speaks French, anything else English. */
  languageCode?: string | null;
}

export const languageFor = (code: string | null | undefined) => (code?.toLowerCase().startsWith('fr') ? 'fr' : 'en');

/** People: Telegram users (created on first contact) and buyers known only by e-mail. */
export function createUsers({ db, clock }: { db: Db; clock: Clock }) {
  function upsertTelegram(profile: TelegramProfile): UserRow {
    const now = clock.now();
    return db
      .insert(users)
      .values({
        telegramId: profile.telegramId,
        username: profile.username ?? null,
        firstName: profile.firstName ?? null,
        language: languageFor(profile.languageCode),
        lastSeenAt: now,
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoUpdate({
        target: users.telegramId,
        set: { username: profile.username ?? null, firstName: profile.firstName ?? null, lastSeenAt: now, updatedAt: now },
      })
      .returning()
      .get();
  }

  function upsertEmail(email: string): UserRow {
    const now = clock.now();
    const normalized = email.trim().toLowerCase();
    return db
      .insert(users)
      .values({ email: normalized, createdAt: now, updatedAt: now })
      .onConflictDoUpdate({ target: users.email, set: { updatedAt: now } })
      .returning()
      .get();
  }

  function get(id: number): UserRow {
    const row = db.select().from(users).where(eq(users.id, id)).get();
    if (!row) throw notFound(`user ${id}`);
    return row;
  }

  return { upsertTelegram, upsertEmail, get };
}

export type Users = ReturnType<typeof createUsers>;
