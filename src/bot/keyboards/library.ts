import { InlineKeyboard } from 'grammy';
import type { Purchase } from '../../modules/orders/service.ts';
import type { BotContext } from '../context.ts';
import { shorten } from '../reply.ts';
import { cb } from './callback-data.ts';

/** One purchase per row (opens it), then paging, then the menu. */
export function libraryKeyboard(ctx: BotContext, items: Purchase[], page: number, hasNext: boolean): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  for (const item of items) {
    keyboard.text(`📘 ${shorten(item.title, 48)}`, cb.purchase.pack({ id: item.productId, page })).row();
  }
  if (page > 0) keyboard.text(ctx.t('button-previous'), cb.libraryPage.pack({ page: page - 1 }));
  if (hasNext) keyboard.text(ctx.t('button-next'), cb.libraryPage.pack({ page: page + 1 }));
  return keyboard.row().text(ctx.t('button-menu'), cb.menu.pack({}));
}

/** Nothing bought yet: the way to the catalogue. */
export const emptyLibraryKeyboard = (ctx: BotContext) =>
  new InlineKeyboard().text(ctx.t('menu-browse'), cb.categories.pack({})).text(ctx.t('button-menu'), cb.menu.pack({}));

/** A purchase: download it again, review it (or edit the review), back to its library page. */
export function purchaseKeyboard(ctx: BotContext, productId: string, reviewed: boolean, page: number): InlineKeyboard {
  return new InlineKeyboard()
    .text(ctx.t('button-download-again'), cb.download.pack({ id: productId }))
    .row()
    .text(ctx.t(reviewed ? 'button-edit-review' : 'button-review'), cb.review.pack({ id: productId }))
    .row()
    .text(ctx.t('button-back'), cb.libraryPage.pack({ page }))
    .text(ctx.t('button-menu'), cb.menu.pack({}));
}

/** The signed link of a file the bot could not send itself. */
export const downloadLinkKeyboard = (ctx: BotContext, url: string) =>
  new InlineKeyboard().url(ctx.t('button-download'), url);
