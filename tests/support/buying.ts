/**
 * A simulated user buying in the bot, the same against the bot alone (tests/support/bot.ts)
 * and against the whole app (tests/support/app.ts).
 */
import { cb } from '../../src/bot/keyboards/callback-data.ts';
import type { ChatMessage, RecordedCall } from '../fakes/telegram.ts';
import type { TelegramUser } from './telegram-user.ts';

/** The payment id behind a payment message's "Check status" button. */
export function paymentIdOf(message: ChatMessage): string {
  const data = message.reply_markup?.inline_keyboard
    .flat()
    .find((b) => b.callback_data?.startsWith('1:pay:check:'))?.callback_data;
  if (!data) throw new Error(`message #${message.message_id} has no "Check status" button`);
  return cb.pay.unpack(data)!.id;
}

/** Opens the card by deep link, taps "Buy with crypto" and a currency; resolves with the payment message. */
export async function payWith(user: TelegramUser, productId: string, currency: string | RegExp): Promise<ChatMessage> {
  await user.send(`/start p_${productId}`);
  await user.waitForMessage(productId);
  await user.tap(/Buy with crypto|Acheter en crypto/);
  await user.waitForMessage(/Choose the crypto currency|Choisissez la cryptomonnaie/);
  await user.tap(currency);
  return user.waitForMessage((m) => m.photo !== undefined);
}

/** Opens the card by deep link and taps "Buy with Stars"; resolves with the invoice message. */
export async function invoiceFor(user: TelegramUser, productId: string): Promise<ChatMessage> {
  await user.send(`/start p_${productId}`);
  await user.waitForMessage(productId);
  await user.tap(/Buy with Stars|Acheter en Stars/);
  return user.waitForMessage((m) => m.invoice !== undefined);
}

/** The files the bot sent a chat (calls that succeeded). */
export const documentsTo = (fake: { calls(method: string): RecordedCall[] }, chatId: number) =>
  fake.calls('sendDocument').filter((call) => String(call.params.chat_id) === String(chatId) && call.response.ok);
