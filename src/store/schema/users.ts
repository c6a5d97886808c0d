import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { timestamps } from './columns.ts';

export type Role = 'admin' | 'seller';

/** A person: a Telegram user, or a buyer known only by e-mail (API purchases). */
export const users = sqliteTable(
  'users',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    telegramId: integer('telegram_id'),
    username: text('username'),
    firstName: text('first_name'),
    email: text('email'),
    language: text('language').notNull().default('en'),
    roles: text('roles', { mode: 'json' }).$type<Role[]>().notNull().default(sql`'[]'`),
    banned: integer('banned', { mode: 'boolean' }).notNull().default(false),
    bannedReason: text('banned_reason'),
    blockedBot: integer('blocked_bot', { mode: 'boolean' }).notNull().default(false),
    lastSeenAt: integer('last_seen_at'),
    ...timestamps,
  },
  (table) => [
    uniqueIndex('users_telegram_id_uq').on(table.telegramId),
    // One row per e-mail buyer. A Telegram user's address (for copies, typed unproven) is outside
    // it: it must never become the identity under which someone else's web purchases land.
    uniqueIndex('users_email_uq').on(table.email).where(sql`${table.telegramId} is null`),
    index('users_username_idx').on(table.username),
  ],
);

export const sellers = sqliteTable(
  'sellers',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: integer('user_id').references(() => users.id),
    displayName: text('display_name').notNull(),
    bio: text('bio'),
    email: text('email'),
    /** When the seller typed the code e-mailed to `email`; null: not verified. */
    emailVerifiedAt: integer('email_verified_at'),
    payoutAddress: text('payout_address'),
    payoutNetwork: text('payout_network'),
    status: text('status', { enum: ['active', 'suspended'] })
      .notNull()
      .default('active'),
    /** The operator's reason for a suspension, shown to the seller. */
    suspendedReason: text('suspended_reason'),
    ...timestamps,
  },
  (table) => [uniqueIndex('sellers_user_id_uq').on(table.userId)],
);

/** API keys are stored as SHA-256 hashes; the clear key is shown once at creation. */
export const apiKeys = sqliteTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    keyHash: text('key_hash').notNull(),
    role: text('role', { enum: ['admin', 'seller'] }).notNull(),
    sellerId: integer('seller_id').references(() => sellers.id),
    label: text('label'),
    lastUsedAt: integer('last_used_at'),
    revokedAt: integer('revoked_at'),
    createdAt: integer('created_at').notNull(),
  },
  (table) => [
    uniqueIndex('api_keys_key_hash_uq').on(table.keyHash),
    index('api_keys_seller_id_idx').on(table.sellerId),
  ],
);

export const supportTickets = sqliteTable(
  'support_tickets',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    orderId: text('order_id'),
    message: text('message').notNull(),
    status: text('status', { enum: ['open', 'answered', 'closed'] })
      .notNull()
      .default('open'),
    adminReply: text('admin_reply'),
    ...timestamps,
  },
  (table) => [
    index('support_tickets_user_idx').on(table.userId, table.createdAt),
    index('support_tickets_status_idx').on(table.status, table.createdAt),
  ],
);
