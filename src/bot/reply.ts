import { GrammyError, type InlineKeyboard } from 'grammy';
import type { BotContext } from './context.ts';

/** Text of products and sellers goes into HTML messages: escape what Telegram would parse. */
export const escapeHtml = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/** Cuts text to `max` characters on a word boundary when it can, with an ellipsis. */
export function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > max * 0.6 ? cut.slice(0, space) : cut}…`;
}

export const descriptionOf = (error: unknown) => (error instanceof GrammyError ? error.description : '');

/** Editing a message to what it already shows is not an error worth telling anyone about. */
export const isNotModified = (error: unknown) => descriptionOf(error).includes('message is not modified');

/** The message is gone, too old or not the bot's: send a new one instead. */
const cannotEdit = (error: unknown) =>
  /message to edit not found|message can't be edited|MESSAGE_ID_INVALID|there is no text in the message to edit/.test(
    descriptionOf(error),
  );

/**
 * Shows a screen: when a button of the bot's message was pressed, that message is edited in
 * place (navigation does not pile messages up); otherwise a new message is sent.
 */
export async function show(ctx: BotContext, text: string, keyboard?: InlineKeyboard): Promise<void> {
  const options = { reply_markup: keyboard, link_preview_options: { is_disabled: true } };
  const message = ctx.callbackQuery?.message;
  // An InaccessibleMessage (older than 48 h) has date 0 and cannot be edited.
  if (message && message.date !== 0) {
    try {
      await ctx.editMessageText(text, options);
      return;
    } catch (error) {
      if (isNotModified(error)) return;
      if (!cannotEdit(error)) throw error;
    }
  }
  await ctx.reply(text, options);
}

/** A polite short answer: a toast for a button press, a message otherwise. */
export async function notify(ctx: BotContext, text: string): Promise<void> {
  if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text });
  else await ctx.reply(text);
}
