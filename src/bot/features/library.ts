import { Composer } from 'grammy';
import { AppError } from '../../lib/errors.ts';
import { BotBlockedError } from '../../modules/files/telegram-delivery.ts';
import type { BotContext } from '../context.ts';
import { cb } from '../keyboards/callback-data.ts';
import { downloadLinkKeyboard, emptyLibraryKeyboard, libraryKeyboard, purchaseKeyboard } from '../keyboards/library.ts';
import { formatAverage, starsLabel } from '../keyboards/reviews.ts';
import { onCallback } from '../keyboards/on-callback.ts';
import { localeOf } from '../middleware/i18n.ts';
import { escapeHtml, shorten, show } from '../reply.ts';

const PAGE_SIZE = 6;
const CAPTION_TITLE_MAX = 200;

/** A page of the buyer's purchases, newest first; an empty library points to the catalogue. */
export async function showLibrary(ctx: BotContext, page = 0): Promise<void> {
  const rows = ctx.services.library.purchases(ctx.user.id, { limit: PAGE_SIZE + 1, offset: page * PAGE_SIZE });
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
  return ctx.services.library.purchases(ctx.user.id, { productId, limit: 1 })[0];
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
 * "Download again": the file goes out like a delivery (cached file_id, upload, or a signed link
 * for big files) through the bot's own Api. When Telegram will not take the file, the buyer
 * gets a fresh signed link instead; when that is impossible too, a polite word.
 */
async function downloadAgain(ctx: BotContext, productId: string): Promise<void> {
  const { library, files } = ctx.services;
  if (!library.owns(ctx.user.id, productId)) return notInLibrary(ctx);
  const product = files.productFile(productId);
  if (!product?.file) {
    await ctx.answerCallbackQuery({ text: ctx.t('download-no-file'), show_alert: true });
    return;
  }
  await ctx.answerCallbackQuery({ text: ctx.t('download-sending') });
  const link = () => files.createDownloadLink(ctx.user.id, productId).url;
  try {
    await files.telegramDelivery(ctx.api).deliverFile({
      chatId: ctx.chat?.id ?? ctx.from!.id,
      file: product.file,
      title: product.title,
      language: localeOf(ctx.user.language),
      downloadUrl: link,
    });
  } catch (error) {
    // Nobody left to tell: the user blocked the bot meanwhile.
    if (error instanceof BotBlockedError) throw error;
    let url: string;
    try {
      url = link();
    } catch (linkError) {
      if (!(linkError instanceof AppError)) throw linkError;
      await ctx.reply(ctx.t('download-failed'));
      // Still logged by the error boundary: the operator should know sending failed.
      throw error;
    }
    const title = escapeHtml(shorten(product.title, CAPTION_TITLE_MAX));
    await ctx.reply(ctx.t('download-link', { title }), {
      parse_mode: 'HTML',
      reply_markup: downloadLinkKeyboard(ctx, url),
    });
  }
}

/** /library and the menu's "My library": purchases, each with "download again" and "review". */
export const libraryFeature = new Composer<BotContext>();

libraryFeature.command('library', (ctx) => showLibrary(ctx));
libraryFeature.use(onCallback(cb.library, (ctx) => showLibrary(ctx)));
libraryFeature.use(onCallback(cb.libraryPage, (ctx, { page }) => showLibrary(ctx, page)));
libraryFeature.use(onCallback(cb.purchase, (ctx, { id, page }) => showPurchase(ctx, id, page)));
libraryFeature.use(onCallback(cb.download, (ctx, { id }) => downloadAgain(ctx, id)));
