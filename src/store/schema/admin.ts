import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

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
  (table) => [index('admin_actions_created_idx').on(table.createdAt), index('admin_actions_action_idx').on(table.action, table.createdAt)],
);
