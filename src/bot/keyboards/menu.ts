import { InlineKeyboard } from 'grammy';
import type { BotContext } from '../context.ts';
import { cb } from './callback-data.ts';

/** The main menu: what a buyer can do. Library and support are served by their own features. */
export function mainMenuKeyboard(ctx: BotContext): InlineKeyboard {
  return new InlineKeyboard()
    .text(ctx.t('menu-browse'), cb.categories.pack({}))
    .text(ctx.t('menu-search'), cb.search.pack({}))
    .row()
    .text(ctx.t('menu-library'), cb.library.pack({}))
    .text(ctx.t('menu-support'), cb.support.pack({}))
    .row()
    .text(ctx.t('menu-sell'), cb.sell.pack({}))
    .row()
    .text(ctx.t('menu-language'), cb.language.pack({ code: undefined }))
    .text(ctx.t('menu-help'), cb.help.pack({}));
}

/** A single "back to the menu" button, for screens that lead nowhere else. */
export const backToMenuKeyboard = (ctx: BotContext) =>
  new InlineKeyboard().text(ctx.t('button-menu'), cb.menu.pack({}));
