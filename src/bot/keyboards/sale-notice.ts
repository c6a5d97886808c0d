import { InlineKeyboard, type Api } from 'grammy';
import { translate, type Locale } from '../../locales/index.ts';
import { cb } from './callback-data.ts';

/**
 * How the orders module's sale notice goes out: plain text (no HTML: a title may hold `<`), with
 * a button to the seller's dashboard in the seller's language.
 */
export const saleNoticeSender = (api: Api) => (chatId: number, text: string, language: Locale) =>
  api.sendMessage(chatId, text, { reply_markup: new InlineKeyboard().text(translate(language, 'button-dashboard'), cb.dashboard.pack({})) });
