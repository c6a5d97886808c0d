import { Composer, type Context } from 'grammy';
import type { Message } from 'grammy/types';
import type { Clock } from '../../lib/clock.ts';
import { AppError } from '../../lib/errors.ts';
import type { CourseEdit } from '../../modules/sellers/courses.ts';
import { question, type Answer } from '../ask.ts';
import type { BotContext } from '../context.ts';
import { cb } from '../keyboards/callback-data.ts';
import { removeKeyboard } from '../keyboards/sell.ts';
import type { BotConversation } from '../middleware/conversations.ts';
import { onCallback } from '../middleware/on-callback.ts';
import { notify } from '../reply.ts';
import {
  askField,
  takeCategory,
  takeCover,
  takeDescription,
  takeFile,
  takePrice,
  takeStars,
  takeTitle,
  type CourseField,
  type FetchTelegramFile,
} from './course-answers.ts';
import { coverFromTelegram } from './cover-photo.ts';
import { showMyCourse } from './my-courses.ts';
import { EDIT_COURSE } from './new-course.ts';
import { sellerOf } from './sell.ts';

type Take<T> = (ctx: BotContext, message: Message) => Promise<Answer<T>>;

/**
 * Saves one answer on the course, then shows the course again. The catalog checks the course
 * is still the seller's: if it was deleted meanwhile, nothing is saved (and a new file is dropped).
 */
async function save(ctx: BotContext, id: string, change: (sellerId: number) => unknown, newFile?: string) {
  const seller = sellerOf(ctx)!;
  try {
    await change(seller.id);
  } catch (error) {
    if (!(error instanceof AppError) || !['not_found', 'forbidden'].includes(error.code)) throw error;
    if (newFile) await ctx.services.files.discard(newFile, seller.id);
    const key = error.code === 'forbidden' ? 'mycourse-locked' : 'mycourse-gone';
    await ctx.reply(ctx.t(key), { reply_markup: removeKeyboard });
    return;
  }
  await ctx.reply(ctx.t('mycourse-saved'), { reply_markup: removeKeyboard });
  await showMyCourse(ctx, id, 0);
}

/** "Edit" in /mycourses: one field asked as /newcourse asks it (same rules), then saved. */
export function editCourseConversation({ clock, fetchFile }: { clock: Clock; fetchFile: FetchTelegramFile }) {
  return async (conversation: BotConversation, _ctx: Context, id: string, field: CourseField) => {
    const ask = <T>(take: Take<T>) => question(conversation, clock, (ctx) => askField(ctx, field, true), take);
    const edit = async <T>(take: Take<T>, patch: (value: T) => CourseEdit) => {
      const value = await ask(take);
      await conversation.external((ctx) =>
        save(ctx, id, (seller) => ctx.services.sellers.courses.edit(seller, id, patch(value))),
      );
    };
    if (field === 'title') return edit(takeTitle, (title) => ({ title }));
    if (field === 'description') return edit(takeDescription, (description) => ({ description }));
    if (field === 'category') return edit(takeCategory, (category) => ({ category }));
    if (field === 'price') return edit(takePrice, (price_cents) => ({ price_cents }));
    if (field === 'stars') return edit(takeStars, (stars_price) => ({ stars_price }));
    if (field === 'cover') {
      const cover = await ask((ctx, message) => takeCover(ctx, message, true));
      return conversation.external((ctx) =>
        save(ctx, id, async (seller) =>
          ctx.services.sellers.courses.setCover(
            seller,
            id,
            cover ? await coverFromTelegram(ctx, cover, fetchFile) : null,
          ),
        ),
      );
    }
    // A new file: buyers get it on their next download (the product points at the new row,
    // whose Telegram file_id is the one the seller just sent, never the old file's).
    const file = await ask((ctx, message) => takeFile(ctx, message, fetchFile));
    await conversation.external((ctx) =>
      save(ctx, id, (seller) => ctx.services.sellers.courses.edit(seller, id, { file_id: file.fileId }), file.fileId),
    );
  };
}

/** The buttons of "Edit": the course is checked to be the seller's before anything is asked. */
export const editCourseFeature = new Composer<BotContext>();
editCourseFeature.use(
  onCallback(cb.myCourseEdit, async (ctx, { field, id }) => {
    const seller = sellerOf(ctx);
    if (!seller) return notify(ctx, ctx.t('not-a-seller'));
    try {
      const { product } = ctx.services.sellers.courses.course(seller.id, id);
      if (product.status === 'banned') return notify(ctx, ctx.t('mycourse-locked'));
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'not_found') throw error;
      return notify(ctx, ctx.t('mycourse-gone'));
    }
    await ctx.conversation.enter(EDIT_COURSE, id, field);
  }),
);
