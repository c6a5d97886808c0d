import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import type { Db } from '../../store/database.ts';
import { users } from '../../store/schema/index.ts';

export interface Reachable {
  userId: number;
  telegramId: number;
}

/**
 * admin (broadcast): the Telegram users a message may go to: not banned, not known to have
 * blocked the bot; everyone, one language, or the given people (buyers, sellers).
 */
export function createAudience({ db }: { db: Db }) {
  function reachable(filter: { language?: 'en' | 'fr'; userIds?: number[] } = {}): Reachable[] {
    const base = and(
      isNotNull(users.telegramId),
      eq(users.banned, false),
      eq(users.blockedBot, false),
      filter.language ? eq(users.language, filter.language) : undefined,
      filter.userIds ? inArray(users.id, filter.userIds) : undefined,
    );
    return db
      .select({ userId: users.id, telegramId: users.telegramId })
      .from(users)
      .where(base)
      .orderBy(users.id)
      .all() as Reachable[];
  }
  return { reachable };
}

export type Audience = ReturnType<typeof createAudience>;
