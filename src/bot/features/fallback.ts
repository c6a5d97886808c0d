import { Composer } from 'grammy';
import type { BotContext } from '../context.ts';
import { cb, classifyCallbackData } from '../keyboards/callback-data.ts';

/**
 * Last in the chain: whatever no feature took gets a polite word or nothing, never an error.
 * - a button of ours that nobody handles (its feature is off or not installed): "not available";
 * - an older deploy's button (another callback version): "this button has expired";
 * - data that does not decode (a deleted layout, a forged press): "this button no longer works";
 * - an unknown command, a sticker, a photo... in a private chat: a pointer to /help;
 * - edited messages, group chatter and other updates: ignored.
 */
export const fallbackFeature = new Composer<BotContext>();

fallbackFeature.on('callback_query', async (ctx) => {
  const data = ctx.callbackQuery.data ?? '';
  if (Object.values(cb).some((route) => route.unpack(data) !== undefined)) {
    return ctx.answerCallbackQuery({ text: ctx.t('button-unavailable') });
  }
  const text = classifyCallbackData(data) === 'stale' ? ctx.t('button-expired') : ctx.t('button-unknown');
  await ctx.answerCallbackQuery({ text, show_alert: true });
});

const privateChat = fallbackFeature.chatType('private');

privateChat.on('message:text', async (ctx) => {
  if (ctx.message.text.startsWith('/')) await ctx.reply(ctx.t('unknown-command'));
});

privateChat.on('message', async (ctx) => {
  const message = ctx.message;
  // Service messages (payments, pinned, chat changes) are not things the user said to the bot.
  if (message.successful_payment || message.refunded_payment || message.pinned_message) return;
  await ctx.reply(ctx.t('unsupported-message'));
});
