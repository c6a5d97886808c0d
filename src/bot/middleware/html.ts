import type { MiddlewareFn, Transformer } from 'grammy';
import type { BotContext } from '../context.ts';

/** The methods whose text or caption the bot's screens carry; their texts (src/locales) are HTML. */
const HTML_METHODS = new Set(['sendMessage', 'editMessageText', 'sendPhoto', 'editMessageCaption']);

/** Sets `parse_mode: 'HTML'` on the calls above, unless the caller chose one. */
export const htmlParseMode: Transformer = (prev, method, payload, signal) =>
  HTML_METHODS.has(method) && payload && !('parse_mode' in payload)
    ? prev(method, { ...payload, parse_mode: 'HTML' }, signal)
    : prev(method, payload, signal);

/**
 * Installed per update (on `ctx.api`, a copy of the bot's Api), not on `bot.api`: the files
 * module sends course files and links over `bot.api` as plain text, where a title holding
 * `<` or `&` must not be read as HTML.
 */
export const htmlReplies: MiddlewareFn<BotContext> = (ctx, next) => {
  ctx.api.config.use(htmlParseMode);
  return next();
};
