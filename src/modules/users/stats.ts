import { count, gte } from 'drizzle-orm';
import type { Db } from '../../store/database.ts';
import { sellers, users } from '../../store/schema/index.ts';

/** admin (stats): people who arrived since a time. */
export function createUserStats({ db }: { db: Db }) {
  return {
    newUsers: (since: number) => db.select({ n: count() }).from(users).where(gte(users.createdAt, since)).get()!.n,
    newSellers: (since: number) =>
      db.select({ n: count() }).from(sellers).where(gte(sellers.createdAt, since)).get()!.n,
  };
}

export type UserStats = ReturnType<typeof createUserStats>;
