import type { Context, SessionFlavor } from 'grammy';
import type { I18nFlavor } from '@grammyjs/i18n';
import type { Catalog } from '../modules/catalog/service.ts';
import type { UserRow, Users } from '../modules/users/service.ts';

/** What the bot keeps per chat between updates (stored in SQLite, table bot_sessions). */
export interface SessionData {
  /** Keyset cursors of the product list being paged: cursors[i] fetches page i ('' = first). */
  list?: { key: string; cursors: string[] };
  /** The last search text, so its result pages can be turned. */
  search?: string;
}

/** Module services the features call. Faces are thin: every rule lives in these. */
export interface BotServices {
  catalog: Pick<Catalog, 'listCategories' | 'listProducts' | 'getProduct'>;
  users: Pick<Users, 'upsertTelegram' | 'findByTelegramId' | 'setLanguage'>;
}

interface BotFlavor {
  /** The sender's row, created on first contact (set by the user middleware). */
  user: UserRow;
  services: BotServices;
}

export type BotContext = Context & SessionFlavor<SessionData> & I18nFlavor & BotFlavor;
export type Locale = 'en' | 'fr';
