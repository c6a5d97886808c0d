import { InlineKeyboard, type Api } from 'grammy';
import type { Clock } from '../../lib/clock.ts';
import { localeOf, translate } from '../../locales/index.ts';
import type { NotifyDelivered } from '../../modules/orders/deliver.ts';
import { botSessionStore } from '../../store/bot-sessions.ts';
import type { Db } from '../../store/database.ts';
import type { SessionData, Translate } from '../context.ts';
import { formatPrice } from '../format.ts';
import { libraryKeyboard } from '../keyboards/buy.ts';
import { cb } from '../keyboards/callback-data.ts';
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
  const sessions = botSessionStore<SessionData>(db, clock);
  return async (order, buyer, outcome) => {
    if (buyer.telegramId === null || outcome.via !== 'telegram') return;
    const chatId = buyer.telegramId;
    const t: Translate = (key, args) => translate(buyer.language, key, args);
    const title = escapeHtml(shorten(titleOf(order.productId) ?? order.productId, 120));

    const paymentMessage = (await sessions.read(String(chatId)))?.payments?.[order.id];
    if (paymentMessage !== undefined) {
      const caption = [
        t('pay-title', { title, price: formatPrice(order.priceCents, order.currency, localeOf(buyer.language)) }),
        t('pay-status-delivered'),
      ];
      // Best effort: the message may be gone or already say so. Outside an update there is no
      // per-update HTML transformer (middleware/html.ts): the parse mode is given here.
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
