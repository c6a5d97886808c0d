import { Composer } from 'grammy';
import { AppError } from '../../lib/errors.ts';
import type { ProductView } from '../../modules/catalog/model.ts';
import type { BotContext } from '../context.ts';
import { formatPrice, formatSize, fileKind } from '../format.ts';
import { cb } from '../keyboards/callback-data.ts';
import {
  backToCourseKeyboard,
  confirmDeleteKeyboard,
  editFieldsKeyboard,
  myCourseKeyboard,
  myCoursesKeyboard,
  stateMark,
} from '../keyboards/my-courses.ts';
import { onCallback } from '../middleware/on-callback.ts';
import { escapeHtml, notify, show } from '../reply.ts';
import { sellerOf } from './sell.ts';

export const MY_COURSES_PAGE_SIZE = 8;

/** The seller pressing, or a word that they are not one. */
async function sellerId(ctx: BotContext): Promise<number | undefined> {
  const seller = sellerOf(ctx);
  if (!seller) await notify(ctx, ctx.t('not-a-seller'));
  return seller?.id;
}

/** A course of another seller (a forged button) or one deleted meanwhile: nothing happens. */
const isGone = (error: unknown) => error instanceof AppError && error.code === 'not_found';
/** The seller's own course the catalog refuses to change: taken down by the operator. */
const isLocked = (error: unknown) => error instanceof AppError && error.code === 'forbidden';

export async function showMyCourses(ctx: BotContext, page: number): Promise<void> {
  const seller = await sellerId(ctx);
  if (seller === undefined) return;
  const { courses } = ctx.services.sellers;
  let listed = courses.page(seller, page, MY_COURSES_PAGE_SIZE);
  // A page emptied by deletions: the last one left.
  if (listed.items.length === 0 && page > 0) {
    page = listed.pages - 1;
    listed = courses.page(seller, page, MY_COURSES_PAGE_SIZE);
  }
  const lines = [ctx.t('mycourses-title', { count: listed.total })];
  if (listed.total === 0) lines.push(ctx.t('mycourses-empty'));
  else if (listed.pages > 1) lines.push(ctx.t('mycourses-page', { page: page + 1, pages: listed.pages }));
  await show(ctx, lines.join('\n\n'), myCoursesKeyboard(ctx, listed.items, page, listed.pages));
}

function stateLine(ctx: BotContext, product: ProductView): string {
  if (product.status === 'active') return ctx.t('mycourse-state-on');
  if (product.status === 'inactive') return ctx.t('mycourse-state-off');
  return ctx.t('mycourse-state-banned');
}

/** One course: its state, prices, file and sales (count, revenue, the seller's share). */
export async function showMyCourse(ctx: BotContext, id: string, page: number): Promise<void> {
  const seller = await sellerId(ctx);
  if (seller === undefined) return;
  let course;
  try {
    course = ctx.services.sellers.courses.course(seller, id);
  } catch (error) {
    if (!isGone(error)) throw error;
    return notify(ctx, ctx.t('mycourse-gone'));
  }
  const { product, sales } = course;
  const money = (cents: number) => formatPrice(cents, product.currency, ctx.user.language);
  const text = ctx.t('mycourse-card', {
    mark: stateMark(product.status),
    title: escapeHtml(product.title),
    id: product.id,
    state: stateLine(ctx, product),
    price: money(product.price_cents),
    stars: product.stars_price ?? '—',
    file: product.file ? `${fileKind(product.file)} · ${formatSize(ctx, product.file.size_bytes)}` : '—',
    sales: sales.sales,
    revenue: money(sales.revenue_cents),
    share: money(sales.net_cents),
  });
  await show(ctx, text, myCourseKeyboard(ctx, product, page));
}

/** The deep link of the course and the seller's shop, to paste anywhere. */
async function showShare(ctx: BotContext, seller: number, id: string, page: number) {
  const bot = ctx.me.username;
  const product = ctx.services.sellers.courses.course(seller, id).product;
  const text = ctx.t('mycourse-share-text', {
    title: escapeHtml(product.title),
    course: `https://t.me/${bot}?start=p_${product.id}`,
    shop: `https://t.me/${bot}?start=s_${seller}`,
  });
  await show(ctx, text, backToCourseKeyboard(ctx, product.id, page));
}

type Action = 'off' | 'on' | 'del' | 'delok' | 'share' | 'edit';

async function act(ctx: BotContext, { action, id, page }: { action: Action; id: string; page: number }) {
  const seller = await sellerId(ctx);
  if (seller === undefined) return;
  const { courses } = ctx.services.sellers;
  try {
    // Checked first: another seller's course is not found, whatever the action.
    const product = courses.course(seller, id).product;
    if (action === 'off' || action === 'on') {
      courses.setOnSale(seller, id, action === 'on');
      await ctx.answerCallbackQuery({ text: ctx.t(action === 'on' ? 'mycourse-now-on' : 'mycourse-now-off') });
      return showMyCourse(ctx, id, page);
    }
    if (action === 'delok') {
      courses.remove(seller, id);
      await ctx.answerCallbackQuery({ text: ctx.t('mycourse-deleted') });
      return showMyCourses(ctx, page);
    }
    if (action === 'share') return showShare(ctx, seller, id, page);
    if (action === 'edit')
      return show(
        ctx,
        ctx.t('mycourse-edit-which', { title: escapeHtml(product.title) }),
        editFieldsKeyboard(ctx, id, page),
      );
    await show(
      ctx,
      ctx.t('mycourse-delete-ask', { title: escapeHtml(product.title) }),
      confirmDeleteKeyboard(ctx, id, page),
    );
  } catch (error) {
    if (isLocked(error)) return notify(ctx, ctx.t('mycourse-locked'));
    if (!isGone(error)) throw error;
    await notify(ctx, ctx.t('mycourse-gone'));
  }
}

/** /mycourses and the seller home's "My courses": the seller's courses, paged, and what to do with each. */
export const myCoursesFeature = new Composer<BotContext>();
myCoursesFeature.command('mycourses', (ctx) => showMyCourses(ctx, 0));
myCoursesFeature.use(onCallback(cb.myCourses, (ctx, { page }) => showMyCourses(ctx, page)));
myCoursesFeature.use(onCallback(cb.myCourse, (ctx, { id, page }) => showMyCourse(ctx, id, page)));
myCoursesFeature.use(onCallback(cb.myCourseAct, act));
