import type { TelegramClient } from '../../lib/telegram.ts';
import { translate, type Locale } from '../../locales/index.ts';
import { cb } from './callback-data.ts';

/**
 * How the orders module's sale notice goes out: plain text (no HTML: a title may hold `<`), with
 * a button to the seller's dashboard in the seller's language. Over lib/telegram's client, so a
 * seller who blocked the bot is a TelegramApiError the job acts on.
 */
export const saleNoticeSender = (client: TelegramClient) => (chatId: number, text: string, language: Locale) =>
  client.sendMessage(chatId, text, {
    buttons: [[{ text: translate(language, 'button-dashboard'), callbackData: cb.dashboard.pack({}) }]],
  });
