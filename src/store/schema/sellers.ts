import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { timestamps } from './columns.ts';
import { sellers } from './users.ts';

export const payoutStatuses = ['pending', 'paid', 'rejected'] as const;
export type PayoutStatus = (typeof payoutStatuses)[number];

/**
 * A seller's request to be paid (sellers module). A pending or paid payout holds its amount
 * against the seller's balance; a rejected one gives it back. The address and network are
 * copied from the profile at request time: what the operator pays is what the seller asked.
 */
export const payouts = sqliteTable(
  'payouts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    sellerId: integer('seller_id')
      .notNull()
      .references(() => sellers.id),
    amountCents: integer('amount_cents').notNull(),
    currency: text('currency').notNull(),
    address: text('address').notNull(),
    network: text('network').notNull(),
    status: text('status', { enum: payoutStatuses }).notNull(),
    txHash: text('tx_hash'),
    reason: text('reason'),
    /** Who paid or rejected it (`admin:<key or telegram id>`), and when. */
    decidedBy: text('decided_by'),
    decidedAt: integer('decided_at'),
    ...timestamps,
  },
  (table) => [
    index('payouts_seller_idx').on(table.sellerId, table.createdAt),
    index('payouts_status_idx').on(table.status, table.createdAt),
  ],
);
