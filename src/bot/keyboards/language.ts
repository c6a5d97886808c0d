import { InlineKeyboard } from 'grammy';
import type { BotContext } from '../context.ts';
import { cb } from './callback-data.ts';

/** Each language is named in itself, so anyone can find theirs. */
export function languageKeyboard(ctx: BotContext): InlineKeyboard {
  const mark = (code: string) => (ctx.user.language === code ? '✓ ' : '');
  return new InlineKeyboard()
    .text(`${mark('fr')}🇫🇷 Français`, cb.language.pack({ code: 'fr' }))
    .text(`${mark('en')}🇬🇧 English`, cb.language.pack({ code: 'en' }))
    .row()
    .text(ctx.t('button-menu'), cb.menu.pack({}));
}
