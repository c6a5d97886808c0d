import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { orders } from './orders.ts';

/**
 * Order tokens: capabilities that let whoever holds one read an order and get a
 * fresh download link without any other key (an API client, a buyer following an e-mail).
 * Only the SHA-256 of the token is kept: a copy of the database reads no order.
 * Owned by the orders module.
 */
export const orderTokens = sqliteTable(
  'order_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id),
    /** Who it was handed to: 'api' (POST /api/payment) or 'email' (the receipt). */
    issuedTo: text('issued_to', { enum: ['api', 'email'] }).notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (table) => [index('order_tokens_order_idx').on(table.orderId)],
);
