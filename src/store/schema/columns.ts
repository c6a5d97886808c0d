import { integer } from 'drizzle-orm/sqlite-core';

/** Times are integer milliseconds since the epoch, written from the injected clock. */
export const timestamps = {
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
};
