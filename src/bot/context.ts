import type { ConversationFlavor } from '@grammyjs/conversations';
import type { Context, SessionFlavor } from 'grammy';
import type { I18nFlavor } from './middleware/i18n.ts';
import type { Admin } from '../modules/admin/index.ts';
import type { Reviews } from '../modules/catalog/reviews.ts';
import type { Catalog } from '../modules/catalog/service.ts';
import type { Redelivery } from '../modules/files/redeliver.ts';
import type { Files } from '../modules/files/service.ts';
import type { Orders } from '../modules/orders/service.ts';
import type { Checkout } from '../modules/payments/checkout.ts';
import type { Stars } from '../modules/payments/stars.ts';
import type { Sellers } from '../modules/sellers/index.ts';
import type { Support } from '../modules/support/service.ts';
import type { ApiKeys } from '../modules/users/api-keys.ts';
import type { UserRow, Users } from '../modules/users/service.ts';

export type { Locale, Translate } from '../locales/index.ts';

/** What the bot keeps per chat between updates (stored in SQLite, table bot_sessions). */
export interface SessionData {
  /** Keyset cursors of the product list being paged: cursors[i] fetches page i ('' = first). */
  list?: { key: string; cursors: string[] };
  /** The last search text, so its result pages can be turned. */
  search?: string;
  /** buy: the crypto payment message shown for each recent order (order id -> message id), newest last. */
  payments?: Record<string, number>;
  /** admin: the refund waiting for its confirmation button (the note typed with /refund). */
  adminRefund?: { orderId: string; note: string };
  /** /newcourse: the one-time upload link handed out for a file too big for the bot (its token). */
  courseUpload?: string;
  /** /newcourse: the file stored for the course being written, deleted if it is never published. */
  courseDraft?: { fileId: string; sellerId: number };
}

/**
 * The module services the features call, each by its own name. Faces are thin: every rule
 * lives in these.
 */
export interface BotServices {
  catalog: Pick<
    Catalog,
    'listCategories' | 'listProducts' | 'getProduct' | 'coverOf' | 'coverImage' | 'rememberCoverFileId'
  >;
  users: Pick<
    Users,
    'upsertTelegram' | 'findByTelegramId' | 'setLanguage' | 'setBlockedBot' | 'setEmail' | 'clearEmail'
  >;
  /** The buyer's purchases (library, reviews). */
  orders: Pick<Orders, 'purchases'>;
  /** Buying step by step: currencies, crypto payment, check, cancel, Stars invoice. */
  checkout: Pick<Checkout, 'currencies' | 'startCrypto' | 'check' | 'cancel' | 'starsInvoice'>;
  stars: Pick<Stars, 'checkPreCheckout' | 'applySuccessfulPayment' | 'priceOf'>;
  /** "Download again": the files module sends a purchased file (or a signed link). */
  redelivery: Pick<Redelivery, 'redeliverable' | 'redeliver'>;
  reviews: Pick<Reviews, 'upsertReview' | 'reviewOf'>;
  support: Pick<Support, 'openTicket' | 'listTickets'>;
  /** The operator's screens (features/admin*.ts): access, audit, refunds, moderation. */
  admin: Pick<
    Admin,
    | 'allows'
    | 'audit'
    | 'refunds'
    | 'moderation'
    | 'stats'
    | 'tickets'
    | 'broadcasts'
    | 'payouts'
    | 'jobs'
    | 'orders'
    | 'paymentFlags'
    | 'payoutExport'
  >;
  /** Seller profiles, balances, payouts, publishing. */
  sellers: Pick<Sellers, 'profiles' | 'payouts' | 'dashboard' | 'publishCourse' | 'currency' | 'courses'>;
  /** A seller's API keys from the bot (/apikey). */
  apiKeys: Pick<ApiKeys, 'create' | 'listForSeller' | 'revokeForSeller'>;
  /** Course files a seller sends in the chat go through the same path as POST /api/upload. */
  files: Pick<Files, 'upload' | 'maxFileSizeBytes' | 'createUploadLink' | 'linkUpload' | 'discard'>;
}

interface BotFlavor {
  /** The sender's row, created on first contact (set by the user middleware). */
  user: UserRow;
  services: BotServices;
}

export type BotContext = ConversationFlavor<Context & SessionFlavor<SessionData> & I18nFlavor & BotFlavor>;
