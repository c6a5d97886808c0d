import { InlineKeyboard, type Api } from 'grammy';
import type { Clock } from '../../lib/clock.ts';
import type { NotifyDelivered } from '../../modules/orders/deliver.ts';
import type { Db } from '../../store/database.ts';
import { formatPrice } from '../format.ts';
import { cb } from '../keyboards/callback-data.ts';
import { libraryKeyboard } from '../keyboards/buy.ts';
import { createI18n, localeOf } from '../middleware/i18n.ts';
import { sqliteSessionStorage } from '../middleware/session.ts';
import { escapeHtml, shorten } from '../reply.ts';

export interface DeliveredNoticeDeps {
  /** The bot's API (or a plain one when the bot did not start). */
  api: Pick<Api, 'sendMessage' | 'editMessageCaption'>;
  db: Db;
  clock: Clock;
  /** The product's title, if it still exists. */
  titleOf: (productId: string) => string | undefined;
}

/**
 * What the `deliver` job calls once the file went out in Telegram: the crypto payment message
 * (if the buyer still has one for this order) shows its final state, then a thank-you in the
 * buyer's language with a "leave a review" button (features/reviews.ts answers it).
 */
export function createDeliveredNotice({ api, db, clock, titleOf }: DeliveredNoticeDeps): NotifyDelivered {
  const i18n = createI18n();
  const sessions = sqliteSessionStorage(db, clock);
  return async (order, buyer, outcome) => {
    if (buyer.telegramId === null || outcome.via !== 'telegram') return;
    const chatId = buyer.telegramId;
    const locale = localeOf(buyer.language);
    const t = (key: string, args?: Record<string, string | number>) => i18n.t(locale, key, args);
    const title = escapeHtml(shorten(titleOf(order.productId) ?? order.productId, 120));

    const paymentMessage = (await sessions.read(String(chatId)))?.payments?.[order.id];
    if (paymentMessage !== undefined) {
      const caption = [
        t('pay-title', { title, price: formatPrice(order.priceCents, order.currency, locale) }),
        t('pay-status-delivered'),
      ];
      // Best effort: the message may be gone or already say so.
      await api
        .editMessageCaption(chatId, paymentMessage, {
          caption: caption.join('\n\n'),
          parse_mode: 'HTML',
          reply_markup: libraryKeyboard(t),
        })
        .catch(() => undefined);
    }
    const review = new InlineKeyboard().text(t('button-leave-review'), cb.review.pack({ id: order.productId }));
    await api.sendMessage(chatId, t('delivered-thanks', { title }), { parse_mode: 'HTML', reply_markup: review });
  };
}
