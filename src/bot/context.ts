import type { Api, Context, SessionFlavor } from 'grammy';
import type { I18nFlavor } from '@grammyjs/i18n';
import type { Catalog } from '../modules/catalog/service.ts';
// buy
import type { Clock } from '../lib/clock.ts';
import type { Orders } from '../modules/orders/service.ts';
import type { Payments } from '../modules/payments/service.ts';
import type { Stars } from '../modules/payments/stars.ts';
import type { UserRow, Users } from '../modules/users/service.ts';
// library, reviews, support
import type { Reviews } from '../modules/catalog/reviews.ts';
import type { Downloads } from '../modules/files/downloads.ts';
import type { TelegramDelivery } from '../modules/files/telegram-delivery.ts';
import type { Support } from '../modules/support/service.ts';

/** What the bot keeps per chat between updates (stored in SQLite, table bot_sessions). */
export interface SessionData {
  /** Keyset cursors of the product list being paged: cursors[i] fetches page i ('' = first). */
  list?: { key: string; cursors: string[] };
  /** The last search text, so its result pages can be turned. */
  search?: string;
  /** buy: the crypto payment message shown for each recent order (order id -> message id), newest last. */
  payments?: Record<string, number>;
  /**
   * library, reviews, support: a typed answer the bot waits for (features/reviews.ts and
   * features/support.ts take it before search does). Any command or button press ends the wait.
   */
  awaiting?: Awaiting;
}

/** What the chat's next plain text is: a review's comment, or a support ticket's message. */
export type Awaiting = { kind: 'review-comment'; productId: string; rating: number } | { kind: 'support-message' };

/** Module services the features call. Faces are thin: every rule lives in these. */
export interface BotServices {
  catalog: Pick<Catalog, 'listCategories' | 'listProducts' | 'getProduct'>;
  users: Pick<Users, 'upsertTelegram' | 'findByTelegramId' | 'setLanguage' | 'setBlockedBot'>;
  // buy (features/buy.ts)
  payments: Pick<Payments, 'enabled' | 'currencies' | 'startCrypto' | 'view'>;
  orders: Pick<Orders, 'get' | 'cancel' | 'owns'>;
  stars: Pick<Stars, 'createStarsInvoice' | 'checkPreCheckout' | 'applySuccessfulPayment' | 'priceOf'>;
  /** The app's clock: payment countdowns are computed at render time. */
  clock: Clock;
  // library, reviews, support (features/library.ts, reviews.ts, support.ts)
  /** The buyer's purchases (orders.owns, orders.purchases). */
  library: Pick<Orders, 'owns' | 'purchases'>;
  /**
   * Sending a purchased file again: the product's file, a signed link, and the files module's
   * Telegram delivery (cached file_id / upload / link) over the bot's own Api.
   */
  files: Pick<Catalog, 'productFile'> &
    Pick<Downloads, 'createDownloadLink'> & { telegramDelivery(api: Api): Pick<TelegramDelivery, 'deliverFile'> };
  reviews: Pick<Reviews, 'upsertReview' | 'reviewOf'>;
  support: Pick<Support, 'openTicket' | 'listTickets'>;
}

interface BotFlavor {
  /** The sender's row, created on first contact (set by the user middleware). */
  user: UserRow;
  services: BotServices;
}

export type BotContext = Context & SessionFlavor<SessionData> & I18nFlavor & BotFlavor;
export type Locale = 'en' | 'fr';
