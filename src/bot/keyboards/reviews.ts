import { InlineKeyboard } from 'grammy';
import type { BotContext } from '../context.ts';
import { numberFormat } from '../../lib/number-format.ts';
import { cb } from './callback-data.ts';

export const starsLabel = (stars: number) => '⭐'.repeat(stars);

/** A product's average rating for display: one decimal, "4.5" / "4,5". */
export const formatAverage = (average: number, language: string) =>
  numberFormat(language === 'fr' ? 'fr-FR' : 'en-US', {
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  }).format(average);

/** Five stars down to one, one choice per row, then the way back to the purchase. */
export function starsKeyboard(ctx: BotContext, productId: string): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  for (const stars of [5, 4, 3, 2, 1]) keyboard.text(starsLabel(stars), cb.rate.pack({ id: productId, stars })).row();
  return keyboard
    .text(ctx.t('button-back'), cb.purchase.pack({ id: productId, page: 0 }))
    .text(ctx.t('button-menu'), cb.menu.pack({}));
}

/** While the bot waits for the optional comment. */
export const skipCommentKeyboard = (ctx: BotContext, productId: string) =>
  new InlineKeyboard().text(ctx.t('button-skip'), cb.rateSkip.pack({ id: productId }));

/** After the review is saved. */
export const reviewSavedKeyboard = (ctx: BotContext) =>
  new InlineKeyboard().text(ctx.t('menu-library'), cb.library.pack({})).text(ctx.t('button-menu'), cb.menu.pack({}));
