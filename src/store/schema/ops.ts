import { isNotNull } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { timestamps } from './columns.ts';

/** Durable job queue. A job whose lease expired is picked up again after a crash. */
export const jobs = sqliteTable(
  'jobs',
  {
    id: integer('id').primaryKey(), // a plain rowid, as the other tables a payment writes (orders.ts)
    kind: text('kind').notNull(),
    payload: text('payload').notNull(),
    uniqueKey: text('unique_key'),
    status: text('status', { enum: ['ready', 'running', 'done', 'dead'] }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull(),
    runAt: integer('run_at').notNull(),
    leaseUntil: integer('lease_until'),
    lastError: text('last_error'),
    finishedAt: integer('finished_at'),
    ...timestamps,
  },
  (table) => [
    // Partial: a job without a key (a sale's notice to its seller) adds no entry to write.
    uniqueIndex('jobs_unique_key_uq').on(table.uniqueKey).where(isNotNull(table.uniqueKey)),
    // Every read of the queue seeks here by kind (lib/queue/store.ts): the claim, the counts, the oldest due job.
    index('jobs_claim_idx').on(table.kind, table.status, table.runAt),
  ],
);

/** grammY session storage. */
export const botSessions = sqliteTable('bot_sessions', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: integer('updated_at').notNull(),
});
