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

export const emailCodePurposes = ['verify-email', 'confirm-change'] as const;
export type EmailCodePurpose = (typeof emailCodePurposes)[number];

/**
 * A 6-digit code e-mailed to a seller (sellers module): `verify-email` proves an address is
 * theirs; `confirm-change` holds a profile change (payout address, e-mail) until the code sent
 * to the verified address is typed. `subject` is who may type it: `user:<id>` during the bot's
 * onboarding (no seller yet), `seller:<id>` afterwards. Only a salted hash of the code is kept.
 */
export const emailCodes = sqliteTable(
  'email_codes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    subject: text('subject').notNull(),
    purpose: text('purpose', { enum: emailCodePurposes }).notNull(),
    /** Where the code was sent. */
    email: text('email').notNull(),
    /** `<salt>:<sha256(salt:code)>` in hex. */
    codeHash: text('code_hash').notNull(),
    attemptsLeft: integer('attempts_left').notNull(),
    expiresAt: integer('expires_at').notNull(),
    /** The profile change a `confirm-change` code holds (JSON). */
    change: text('change'),
    /** When the right code was typed; a used code is never taken again. */
    usedAt: integer('used_at'),
    ...timestamps,
  },
  (table) => [index('email_codes_subject_idx').on(table.subject, table.createdAt)],
);
