import { isNotNull } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { timestamps } from './columns.ts';
import { products } from './catalog.ts';
import { payouts } from './sellers.ts';
import { sellers, users } from './users.ts';

export const orderStatuses = [
  'awaiting_payment',
  'confirming',
  'partially_paid',
  'paid',
  'delivered',
  'expired',
  'failed',
  'refunded',
  'cancelled',
] as const;
export type OrderStatus = (typeof orderStatuses)[number];

// The tables a payment inserts into (order_events, payment_events, entitlements, ledger_entries,
// and jobs) number rows with plain rowids, not AUTOINCREMENT: that would rewrite sqlite_sequence
// in every paid order's transaction too (migrations/0016_money_path_plain_rowids.sql).

/** Price, fee and seller share are frozen when the order is created. */
export const orders = sqliteTable(
  'orders',
  {
    id: text('id').primaryKey(),
    buyerId: integer('buyer_id')
      .notNull()
      .references(() => users.id),
    productId: text('product_id')
      .notNull()
      .references(() => products.id),
    sellerId: integer('seller_id')
      .notNull()
      .references(() => sellers.id),
    status: text('status', { enum: orderStatuses }).notNull(),
    paymentMethod: text('payment_method', { enum: ['crypto', 'stars'] }).notNull(),
    priceCents: integer('price_cents').notNull(),
    currency: text('currency').notNull(),
    feeCents: integer('fee_cents').notNull(),
    sellerAmountCents: integer('seller_amount_cents').notNull(),
    starsAmount: integer('stars_amount'),
    expiresAt: integer('expires_at'),
    paidAt: integer('paid_at'),
    deliveredAt: integer('delivered_at'),
    ...timestamps,
  },
  (table) => [
    // Without the status: paying an order (every IPN) then leaves this index alone; a buyer has
    // few orders of one product, whose status the lookup reads from the rows.
    index('orders_buyer_product_idx').on(table.buyerId, table.productId),
    index('orders_status_updated_idx').on(table.status, table.updatedAt),
    index('orders_seller_idx').on(table.sellerId, table.createdAt),
    index('orders_created_idx').on(table.createdAt),
  ],
);

/** Every state change of an order: who, when, from, to, why. */
export const orderEvents = sqliteTable(
  'order_events',
  {
    id: integer('id').primaryKey(),
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id),
    fromStatus: text('from_status'),
    toStatus: text('to_status').notNull(),
    actor: text('actor').notNull(),
    reason: text('reason'),
    createdAt: integer('created_at').notNull(),
  },
  (table) => [index('order_events_order_idx').on(table.orderId, table.id)],
);

/** A payment attempt at a provider. Provider ids are TEXT; amounts are the provider's strings. */
export const payments = sqliteTable(
  'payments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id),
    provider: text('provider', { enum: ['nowpayments', 'stars'] }).notNull(),
    providerPaymentId: text('provider_payment_id').notNull(),
    status: text('status').notNull(),
    payCurrency: text('pay_currency').notNull(),
    payAmount: text('pay_amount'),
    actuallyPaid: text('actually_paid'),
    payAddress: text('pay_address'),
    payExtraId: text('pay_extra_id'),
    expiresAt: integer('expires_at'),
    checkedAt: integer('checked_at'),
    raw: text('raw'),
    ...timestamps,
  },
  (table) => [
    uniqueIndex('payments_provider_id_uq').on(table.provider, table.providerPaymentId),
    index('payments_order_idx').on(table.orderId),
  ],
);

/** Every provider notification, raw, deduplicated; unknown payments are flagged for the admin. */
export const paymentEvents = sqliteTable(
  'payment_events',
  {
    id: integer('id').primaryKey(),
    provider: text('provider').notNull(),
    providerPaymentId: text('provider_payment_id').notNull(),
    paymentId: integer('payment_id').references(() => payments.id),
    status: text('status').notNull(),
    amount: text('amount'),
    dedupeKey: text('dedupe_key').notNull(),
    raw: text('raw').notNull(),
    flag: text('flag'),
    receivedAt: integer('received_at').notNull(),
    appliedAt: integer('applied_at'),
    /** A flagged event the operator looked at: when, who (`tg:<id>`, `key:<id>`), and their note. */
    handledAt: integer('handled_at'),
    handledBy: text('handled_by'),
    handledNote: text('handled_note'),
  },
  (table) => [
    uniqueIndex('payment_events_dedupe_uq').on(table.dedupeKey),
    // Only the flagged few (what the admin lists): an event applied as it should writes no entry.
    index('payment_events_flag_idx').on(table.flag).where(isNotNull(table.flag)),
  ],
);

/** The buyer owns the product. One per buyer and product. */
export const entitlements = sqliteTable(
  'entitlements',
  {
    id: integer('id').primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    productId: text('product_id')
      .notNull()
      .references(() => products.id),
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id),
    revokedAt: integer('revoked_at'),
    createdAt: integer('created_at').notNull(),
  },
  // One per buyer and product, so one per order too (an order is for one product); a refund finds
  // the order's entitlement by its buyer and product.
  (table) => [uniqueIndex('entitlements_user_product_uq').on(table.userId, table.productId)],
);

/**
 * Double-entry style ledger: a sale books the seller's share and the platform fee; a payout
 * books a negative entry on the seller's account. Sum per account = balance.
 */
export const ledgerEntries = sqliteTable(
  'ledger_entries',
  {
    id: integer('id').primaryKey(),
    account: text('account').notNull(),
    sellerId: integer('seller_id').references(() => sellers.id),
    orderId: text('order_id').references(() => orders.id),
    payoutId: integer('payout_id').references(() => payouts.id),
    kind: text('kind', { enum: ['sale', 'fee', 'payout', 'refund'] }).notNull(),
    amountCents: integer('amount_cents').notNull(),
    currency: text('currency').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (table) => [
    // A seller's balance reads this (orders/ledger.ts, `seller_id = ?` implies the WHERE); the
    // platform's fee entry of every sale writes no entry here. No query reads entries by order.
    index('ledger_seller_idx').on(table.sellerId, table.currency).where(isNotNull(table.sellerId)),
  ],
);
