import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Every action an operator takes, from the bot or the HTTP admin API: who (`tg:<id>` or
 * `key:<api key id>`), what (`refund`, `take_down`, `ban`...), on what (`order:ORD-...`), why, when.
 * Written in the same transaction as the action itself: no action without its row.
 */
export const adminActions = sqliteTable(
  'admin_actions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    target: text('target'),
    reason: text('reason'),
    details: text('details', { mode: 'json' }).$type<Record<string, unknown>>(),
    createdAt: integer('created_at').notNull(),
  },
  (table) => [
    index('admin_actions_created_idx').on(table.createdAt),
    index('admin_actions_action_idx').on(table.action, table.createdAt),
  ],
);

export type BroadcastAudience = { kind: 'all' | 'buyers' | 'sellers' } | { kind: 'language'; language: 'en' | 'fr' };

/** A message to many users, sent through the queue; counters are kept as recipients are done. */
export const broadcasts = sqliteTable('broadcasts', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  actor: text('actor').notNull(),
  text: text('text').notNull(),
  photo: text('photo'),
  audience: text('audience', { mode: 'json' }).$type<BroadcastAudience>().notNull(),
  status: text('status', { enum: ['draft', 'sending', 'cancelled', 'done'] }).notNull(),
  total: integer('total').notNull().default(0),
  /** Where the progress is shown (the operator's chat and message), when started from the bot. */
  progressChatId: integer('progress_chat_id'),
  progressMessageId: integer('progress_message_id'),
  progressAt: integer('progress_at'),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/**
 * One row per recipient. `sending` is written (committed) before the message goes out: a crash
 * then leaves it `sending`, never sent again (at most once per person).
 */
export const broadcastRecipients = sqliteTable(
  'broadcast_recipients',
  {
    broadcastId: integer('broadcast_id')
      .notNull()
      .references(() => broadcasts.id),
    userId: integer('user_id').notNull(),
    telegramId: integer('telegram_id').notNull(),
    status: text('status', { enum: ['pending', 'sending', 'sent', 'blocked', 'failed'] }).notNull(),
    error: text('error'),
    updatedAt: integer('updated_at').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.broadcastId, table.userId] }),
    index('broadcast_recipients_status_idx').on(table.broadcastId, table.status),
  ],
);
