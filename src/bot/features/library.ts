import { Composer } from 'grammy';
import { BotBlockedError } from '../../modules/files/telegram-delivery.ts';
import type { BotContext } from '../context.ts';
import { cb } from '../keyboards/callback-data.ts';
import { downloadLinkKeyboard, emptyLibraryKeyboard, libraryKeyboard, purchaseKeyboard } from '../keyboards/library.ts';
import { formatAverage, starsLabel } from '../keyboards/reviews.ts';
import { onCallback } from '../middleware/on-callback.ts';
import { escapeHtml, shorten, show } from '../reply.ts';

const PAGE_SIZE = 6;
const CAPTION_TITLE_MAX = 200;

/** A page of the buyer's purchases, newest first; an empty library points to the catalogue. */
export async function showLibrary(ctx: BotContext, page = 0): Promise<void> {
  const rows = ctx.services.orders.purchases(ctx.user.id, { limit: PAGE_SIZE + 1, offset: page * PAGE_SIZE });
  // A page that emptied meanwhile (a refund): start over.
  if (rows.length === 0 && page > 0) return showLibrary(ctx, 0);
  if (rows.length === 0) return show(ctx, ctx.t('library-empty'), emptyLibraryKeyboard(ctx));
  const hasNext = rows.length > PAGE_SIZE;
  const lines = [ctx.t('library-title')];
  if (page > 0 || hasNext) lines.push(ctx.t('list-page', { page: page + 1 }));
  await show(ctx, lines.join('\n\n'), libraryKeyboard(ctx, rows.slice(0, PAGE_SIZE), page, hasNext));
}

/** The purchase as the buyer owns it, or a polite word (and the library) when they do not. */
function ownedPurchase(ctx: BotContext, productId: string) {
  return ctx.services.orders.purchases(ctx.user.id, { productId, limit: 1 })[0];
}

async function notInLibrary(ctx: BotContext): Promise<void> {
  if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t('library-not-owned'), show_alert: true });
  else await ctx.reply(ctx.t('library-not-owned'));
}

/** One purchase: its rating, the buyer's own review, "download again" and "review". */
export async function showPurchase(ctx: BotContext, productId: string, page = 0): Promise<void> {
  const purchase = ownedPurchase(ctx, productId);
  if (!purchase) {
    await notInLibrary(ctx);
    return showLibrary(ctx, 0);
  }
  const review = ctx.services.reviews.reviewOf(ctx.user.id, productId);
  const average = formatAverage(purchase.ratingAverage, ctx.user.language);
  const rating =
    purchase.ratingCount === 0
      ? ctx.t('product-no-rating')
      : ctx.t('product-rating', { average, count: purchase.ratingCount });
  const title = escapeHtml(shorten(purchase.title, CAPTION_TITLE_MAX));
  const lines = [
    ctx.t('purchase-card', { title, id: purchase.productId, rating }),
    review ? ctx.t('purchase-your-review', { rating: starsLabel(review.rating) }) : ctx.t('purchase-no-review'),
  ];
  await show(ctx, lines.join('\n\n'), purchaseKeyboard(ctx, purchase.productId, review !== null, page));
}

/**
 * "Download again": the files module sends the file like a delivery (cached file_id, upload,
 * or a signed link for big files). When Telegram will not take the file, the buyer gets a
 * fresh signed link instead; when that is impossible too, a polite word.
 */
async function downloadAgain(ctx: BotContext, productId: string): Promise<void> {
  const { redelivery } = ctx.services;
  const ready = redelivery.redeliverable(ctx.user.id, productId);
  if (!ready.ok && ready.reason === 'not_owned') return notInLibrary(ctx);
  if (!ready.ok) {
    await ctx.answerCallbackQuery({ text: ctx.t('download-no-file'), show_alert: true });
    return;
  }
  await ctx.answerCallbackQuery({ text: ctx.t('download-sending') });
  const recipient = { ...ctx.user, telegramId: ctx.chat?.id ?? ctx.from!.id };
  let sent;
  try {
    sent = await redelivery.redeliver(recipient, productId, { linkOnTelegramFailure: true });
  } catch (error) {
    // Blocked meanwhile: nobody left to tell. Otherwise still logged by the error boundary.
    if (!(error instanceof BotBlockedError)) await ctx.reply(ctx.t('download-failed'));
    throw error;
  }
  if (!sent.ok || sent.via !== 'download_link' || !sent.telegramFailed) return;
  const title = escapeHtml(shorten(ownedPurchase(ctx, productId)?.title ?? productId, CAPTION_TITLE_MAX));
  await ctx.reply(ctx.t('download-link', { title }), { reply_markup: downloadLinkKeyboard(ctx, sent.url) });
}

/** /library and the menu's "My library": purchases, each with "download again" and "review". */
export const libraryFeature = new Composer<BotContext>();

libraryFeature.command('library', (ctx) => showLibrary(ctx));
libraryFeature.use(onCallback(cb.library, (ctx) => showLibrary(ctx)));
libraryFeature.use(onCallback(cb.libraryPage, (ctx, { page }) => showLibrary(ctx, page)));
libraryFeature.use(onCallback(cb.purchase, (ctx, { id, page }) => showPurchase(ctx, id, page)));
libraryFeature.use(onCallback(cb.download, (ctx, { id }) => downloadAgain(ctx, id)));
