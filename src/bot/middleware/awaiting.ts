import type { MiddlewareFn } from 'grammy';
import type { Message } from 'grammy/types';
import type { BotContext } from '../context.ts';

/**
 * A wait for typed text (a review's comment, a support message) lasts until the user does
 * something else: any command or button press ends it, before the features see the update. A
 * feature that starts a wait sets `ctx.session.awaiting` afterwards, in its own handler.
 */
export const endAwaitingOnAction: MiddlewareFn<BotContext> = (ctx, next) => {
  if (ctx.session.awaiting && (ctx.callbackQuery || ctx.message?.text?.startsWith('/'))) delete ctx.session.awaiting;
  return next();
};

/**
 * Something the user sent that is not the awaited text (a sticker, a photo, a voice note...):
 * they get a polite reminder. Text is taken by the feature itself; payments and service
 * messages are never answered as if the user had said them.
 */
export const isNonTextInput = (message: Message) =>
  !message.text && !message.successful_payment && !message.refunded_payment && !message.pinned_message;
