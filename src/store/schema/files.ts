import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { sellers, users } from './users.ts';

/**
 * One row per uploaded file. Content is stored once per SHA-256 under DATA_DIR/files, so two
 * rows may share a blob. `telegramFileId` caches Telegram's id after the first upload.
 */
export const files = sqliteTable(
  'files',
  {
    id: text('id').primaryKey(),
    ownerSellerId: integer('owner_seller_id').references(() => sellers.id),
    originalName: text('original_name').notNull(),
    mimeType: text('mime_type').notNull(),
    extension: text('extension').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    storedSizeBytes: integer('stored_size_bytes').notNull(),
    compression: text('compression', { enum: ['none', 'gzip'] }).notNull(),
    sha256: text('sha256').notNull(),
    telegramFileId: text('telegram_file_id'),
    createdAt: integer('created_at').notNull(),
  },
  (table) => [
    index('files_sha256_idx').on(table.sha256),
    index('files_owner_idx').on(table.ownerSellerId, table.createdAt),
  ],
);

/** One-time upload links handed to sellers; only the token's hash is kept. */
export const uploadTokens = sqliteTable('upload_tokens', {
  tokenHash: text('token_hash').primaryKey(),
  sellerId: integer('seller_id')
    .notNull()
    .references(() => sellers.id),
  expiresAt: integer('expires_at').notNull(),
  usedAt: integer('used_at'),
  fileId: text('file_id').references(() => files.id),
  createdAt: integer('created_at').notNull(),
});

/** Every served download, to enforce the per-purchase daily limit. */
export const downloads = sqliteTable(
  'downloads',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    fileId: text('file_id')
      .notNull()
      .references(() => files.id),
    productId: text('product_id'),
    createdAt: integer('created_at').notNull(),
  },
  (table) => [index('downloads_user_file_idx').on(table.userId, table.fileId, table.createdAt)],
);
