import { eq, sql } from 'drizzle-orm';
import { normalizeEmail } from '../../lib/email-address.ts';
import type { Db } from '../../store/database.ts';
import { users } from '../../store/schema/index.ts';
import type { UserRow } from './service.ts';

/** How the operator names a person: a Telegram id (digits), an @username, or an e-mail address. */
export type PersonQuery =
  | { by: 'telegram_id'; value: number }
  | { by: 'username'; value: string }
  | { by: 'email'; value: string };

/** What a typed query means, or undefined when it is none of the three. */
export function parsePersonQuery(input: string): PersonQuery | undefined {
  const text = input.trim();
  if (/^\d{1,15}$/.test(text)) return { by: 'telegram_id', value: Number(text) };
  // Telegram usernames: 5 to 32 letters, digits and underscores; the @ is optional.
  const username = /^@?([A-Za-z][A-Za-z0-9_]{3,31})$/.exec(text);
  if (username) return { by: 'username', value: username[1]! };
  const email = text.includes('@') ? normalizeEmail(text) : null;
  return email ? { by: 'email', value: email } : undefined;
}

/** Finds the person an operator names (usernames compared without case, as Telegram does). */
export function createUserLookup({ db }: { db: Db }) {
  return (query: PersonQuery): UserRow | undefined => {
    if (query.by === 'telegram_id') return db.select().from(users).where(eq(users.telegramId, query.value)).get();
    if (query.by === 'email') return db.select().from(users).where(eq(users.email, query.value)).get();
    return db.select().from(users).where(sql`${users.username} = ${query.value} COLLATE NOCASE`).get();
  };
}
