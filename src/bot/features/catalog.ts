import { Composer } from 'grammy';
import { AppError } from '../../lib/errors.ts';
import type { ListProductsInput, ProductPageView, Sort } from '../../modules/catalog/model.ts';
import type { BotContext } from '../context.ts';
import { productCard } from '../format.ts';
import { cb, type ListRef, type ListSort } from '../keyboards/callback-data.ts';
import { categoriesKeyboard, productCardKeyboard, productListKeyboard } from '../keyboards/catalog.ts';
import { backToMenuKeyboard } from '../keyboards/menu.ts';
import { onCallback } from '../middleware/on-callback.ts';
import { replyWithCover } from './cover-photo.ts';
import { escapeHtml, notify, show } from '../reply.ts';

const PAGE_SIZE = 8;
/** Telegram's caption limit, and the description's share of it under a cover photo. */
const CAPTION_MAX = 1024;
const CAPTION_DESCRIPTION_MAX = 500;
/** Cursors kept per list in the session; deeper pages still work, starting over from page 1. */
const MAX_KEPT_PAGES = 100;

const SORTS: Record<ListSort, Sort> = { top: 'bestsellers', new: 'newest', rel: 'relevance' };

const isAppError = (error: unknown, ...codes: AppError['code'][]) =>
  error instanceof AppError && codes.includes(error.code);

export async function showCategories(ctx: BotContext): Promise<void> {
  const french = ctx.user.language === 'fr';
  const categories = ctx.services.catalog
    .listCategories()
    .map((c) => ({ id: c.id, emoji: c.emoji, name: french ? c.name_fr : c.name, product_count: c.product_count }));
  await show(ctx, ctx.t('categories-title'), categoriesKeyboard(ctx, categories));
}

const listKey = (ref: ListRef) =>
  `${ref.scope.kind === 'category' ? `c${ref.scope.id}` : ref.scope.kind === 'seller' ? `s${ref.scope.id}` : 'q'}.${ref.sort}`;

/** The filters of a list; undefined when a search list outlived its search text. */
function filtersOf(ctx: BotContext, ref: ListRef): Omit<ListProductsInput, 'cursor' | 'limit'> | undefined {
  const sort = ref.scope.kind !== 'search' && ref.sort === 'rel' ? SORTS.top : SORTS[ref.sort];
  if (ref.scope.kind === 'category') return { category: String(ref.scope.id), sort };
  if (ref.scope.kind === 'seller') return { seller: ref.scope.id, sort };
  return ctx.session.search ? { q: ctx.session.search, sort } : undefined;
}

function header(ctx: BotContext, ref: ListRef, page: ProductPageView): string {
  if (ref.scope.kind === 'search') return ctx.t('search-results', { query: escapeHtml(ctx.session.search ?? '') });
  if (ref.scope.kind === 'seller') {
    const seller = page.items[0]?.seller.display_name;
    return seller ? ctx.t('shop-title', { seller: escapeHtml(seller) }) : ctx.t('shop-empty');
  }
  const id = ref.scope.id;
  const category = ctx.services.catalog.listCategories().find((c) => c.id === id);
  const name = category ? (ctx.user.language === 'fr' ? category.name_fr : category.name) : '';
  return ctx.t('category-title', { emoji: category?.emoji ?? '', name: escapeHtml(name) });
}

/**
 * One page of a product list. Keyset cursors stay in the session (they are too long for
 * callback data); a page whose cursor is unknown (another list was opened meanwhile, an
 * old button) starts the list over rather than guessing.
 */
export async function showList(ctx: BotContext, requested: ListRef): Promise<void> {
  const filters = filtersOf(ctx, requested);
  if (!filters) {
    await notify(ctx, ctx.t('search-expired'));
    return;
  }
  const key = listKey(requested);
  const kept = ctx.session.list?.key === key ? ctx.session.list.cursors : undefined;
  let ref = requested;
  const cursor = ref.page === 0 ? undefined : kept?.[ref.page];
  if (ref.page > 0 && !cursor) ref = { ...ref, page: 0 };
  let page: ProductPageView;
  try {
    page = ctx.services.catalog.listProducts({ ...filters, cursor: cursor || undefined, limit: PAGE_SIZE });
  } catch (error) {
    // A cursor kept from before a deploy that changed their format: start the list over.
    if (cursor && isAppError(error, 'bad_request')) return showList(ctx, { ...requested, page: 0 });
    if (!isAppError(error, 'not_found')) throw error;
    await notify(ctx, ctx.t('list-gone'));
    return showCategories(ctx);
  }
  const cursors = ref.page === 0 || !kept ? [''] : kept.slice(0, ref.page + 1);
  if (page.next_cursor && ref.page + 1 < MAX_KEPT_PAGES) cursors[ref.page + 1] = page.next_cursor;
  ctx.session.list = { key, cursors };

  const lines = [header(ctx, ref, page)];
  if (page.items.length === 0) {
    if (ref.scope.kind === 'search') lines.push(ctx.t('search-empty'));
    else if (ref.scope.kind === 'category') lines.push(ctx.t('list-empty'));
  } else if (ref.page > 0 || page.next_cursor) lines.push(ctx.t('list-page', { page: ref.page + 1 }));
  await show(ctx, lines.join('\n\n'), productListKeyboard(ctx, ref, page));
}

/** The product card, or a polite word when the product is gone (deleted, off sale, banned). */
export async function showProduct(ctx: BotContext, id: string, back?: ListRef): Promise<void> {
  let product;
  try {
    product = ctx.services.catalog.getProduct(id);
  } catch (error) {
    if (!isAppError(error, 'not_found')) throw error;
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t('product-gone'), show_alert: true });
    else await show(ctx, ctx.t('product-gone'), backToMenuKeyboard(ctx));
    return;
  }
  const keyboard = productCardKeyboard(ctx, product, back);
  const cover = ctx.services.catalog.coverOf(product.id);
  const caption = cover ? productCard(ctx, product, CAPTION_DESCRIPTION_MAX) : '';
  // A course with a cover: its card is that photo, the card as caption (a new message: a text
  // message cannot become a photo). A caption too long for Telegram falls back to the text card.
  if (cover && caption.length <= CAPTION_MAX && (await replyWithCover(ctx, product.id, cover, caption, keyboard)))
    return;
  await show(ctx, productCard(ctx, product), keyboard);
}

export const catalogFeature = new Composer<BotContext>();
catalogFeature.use(onCallback(cb.categories, (ctx) => showCategories(ctx)));
catalogFeature.use(onCallback(cb.list, (ctx, ref) => showList(ctx, ref)));
catalogFeature.use(onCallback(cb.product, (ctx, { id, back }) => showProduct(ctx, id, back)));
catalogFeature.command('browse', (ctx) => showCategories(ctx));
