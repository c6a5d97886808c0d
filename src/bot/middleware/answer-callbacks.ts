import type { MiddlewareFn } from 'grammy';
import type { BotContext } from '../context.ts';

/**
 * Every button press must be answered, or the user's client shows a spinner for a while. A
 * handler that answered with a toast is left alone; for the others an empty answer is sent
 * once the handler is done.
 */
export const answerCallbacks: MiddlewareFn<BotContext> = async (ctx, next) => {
  if (!ctx.callbackQuery) return next();
  let answered = false;
  const answer = ctx.answerCallbackQuery.bind(ctx);
  ctx.answerCallbackQuery = (...args) => {
    answered = true;
    return answer(...args);
  };
  await next();
  if (!answered) await answer().catch(() => undefined);
};
