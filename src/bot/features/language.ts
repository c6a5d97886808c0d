import { Composer } from 'grammy';
import type { BotContext } from '../context.ts';
import { cb } from '../keyboards/callback-data.ts';
import { languageKeyboard } from '../keyboards/language.ts';
import { onCallback } from '../middleware/on-callback.ts';
import { show } from '../reply.ts';
import { showMenu } from './start.ts';

/** /language: the choice is stored on the user and wins over Telegram's language_code from then on. */
export const languageFeature = new Composer<BotContext>();

const chooser = (ctx: BotContext) => show(ctx, ctx.t('language-choose'), languageKeyboard(ctx));

languageFeature.command('language', chooser);
languageFeature.use(
  onCallback(cb.language, async (ctx, { code }) => {
    if (!code) return chooser(ctx);
    if (code !== ctx.user.language) {
      ctx.user = ctx.services.users.setLanguage(ctx.user.id, code);
    }
    await ctx.answerCallbackQuery({ text: ctx.t('language-changed') });
    await showMenu(ctx);
  }),
);
