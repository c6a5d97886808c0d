import { type BotError, GrammyError, type NextFunction } from 'grammy';
import type { Logger } from '../../lib/logger.ts';
import { translate } from '../../locales/index.ts';
import { languageFor } from '../../modules/users/service.ts';
import type { BotContext } from '../context.ts';
import { updateType, type BotMetrics } from './updates.ts';

/**
 * The error boundary's handler: logs the failure with the update id, counts it, and tells the
 * user politely in their language. It never throws: a failing apology (the user blocked the
 * bot, Telegram is down) is only logged.
 */
export function apologize(logger: Logger, metrics: BotMetrics) {
  return async (failure: BotError<BotContext>, _next?: NextFunction) => {
    const { ctx, error } = failure;
    const type = updateType(ctx.update);
    metrics.errors.inc({ type });
    logger.error(
      {
        err: error,
        update_id: ctx.update.update_id,
        type,
        user: ctx.from?.id,
        ...(error instanceof GrammyError ? { method: error.method, telegram: error.description } : {}),
      },
      'telegram update failed',
    );
    const locale = ctx.user?.language ?? languageFor(ctx.from?.language_code);
    const text = translate(locale, 'error-generic');
    try {
      if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text, show_alert: true });
      else if (ctx.message && ctx.chat?.type === 'private') await ctx.reply(text);
    } catch (apologyError) {
      logger.warn({ err: apologyError, update_id: ctx.update.update_id }, 'could not tell the user about the failure');
    }
  };
}
