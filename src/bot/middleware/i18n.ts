import type { MiddlewareFn } from 'grammy';
import { translate, type Translate } from '../../locales/index.ts';
import type { BotContext } from '../context.ts';

export { localeOf } from '../../locales/index.ts';

export interface I18nFlavor {
  /**
   * The text of a key of src/locales/ in the user's language: the one stored on the user
   * (Telegram's language_code on first contact, then whatever /language chose), read at each
   * call, so a change made during the update shows at once; English before the user is known.
   */
  t: Translate;
}

/**
 * `ctx.t` over the same Fluent bundles the modules use (src/locales/index.ts `translate`).
 * @grammyjs/i18n did this before; it was dropped because loading it (with its Deno shims) took
 * ~80 ms of every process that runs the bot, and it negotiated the locale again on every text.
 */
export const i18n: MiddlewareFn<BotContext> = (ctx, next) => {
  ctx.t = (key, args) => translate(ctx.user?.language, key, args);
  return next();
};
