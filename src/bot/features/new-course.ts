import { Composer, Keyboard, type Context, type MiddlewareFn } from 'grammy';
import type { Message } from 'grammy/types';
import type { Clock } from '../../lib/clock.ts';
import { AppError } from '../../lib/errors.ts';
import { question, typed, type Answer } from '../ask.ts';
import type { BotContext } from '../context.ts';
import { formatPrice, formatSize } from '../format.ts';
import { removeKeyboard } from '../keyboards/sell.ts';
import type { BotConversation } from '../middleware/conversations.ts';
import { escapeHtml, shorten } from '../reply.ts';
import {
  askField,
  categoryLabel,
  COURSE_FIELDS,
  fieldLabel,
  fieldOf,
  takeCategory,
  takeCover,
  takeDescription,
  takeFile,
  takePrice,
  takeStars,
  takeTitle,
  type CourseField,
  type FetchTelegramFile,
  type StoredCourseFile,
} from './course-answers.ts';
import { coverFromTelegram } from './cover-photo.ts';
import { sellerOf } from './sell.ts';

export { BOT_DOWNLOAD_LIMIT_BYTES, type FetchTelegramFile } from './course-answers.ts';

export const NEW_COURSE = 'new-course';
/** The conversation of features/edit-course.ts, named here: the clean-up below must know it too. */
export const EDIT_COURSE = 'edit-course';
/** A caption holds 1,024 characters: the preview under a cover shortens the description. */
const CAPTION_DESCRIPTION_MAX = 600;

interface Draft {
  title: string;
  description: string;
  category: string;
  priceCents: number;
  stars: number | null;
  /** Telegram's file_id of the cover photo. */
  cover: string | null;
  file: StoredCourseFile;
}

/**
 * The file of the course being written is remembered in the session until it is published, so
 * a course abandoned (/cancel, Discard, timeout, another command) leaves no stored file behind.
 */
async function takeDraftFile(ctx: BotContext, message: Message, fetchFile: FetchTelegramFile) {
  const answer = await takeFile(ctx, message, fetchFile);
  if (!answer.ok) return answer;
  const previous = ctx.session.courseDraft;
  if (previous && previous.fileId !== answer.value.fileId)
    await ctx.services.files.discard(previous.fileId, previous.sellerId);
  ctx.session.courseDraft = { fileId: answer.value.fileId, sellerId: sellerOf(ctx)!.id };
  return answer;
}

/**
 * After every update: a course file left in the session by a /newcourse that is no longer
 * running (cancelled, discarded, timed out, left for another command) is deleted, and so is
 * a file uploaded through a link once no course conversation waits for it.
 */
export const discardAbandonedDraft: MiddlewareFn<BotContext> = async (ctx, next) => {
  await next();
  const { courseDraft: draft, courseUpload: token } = ctx.session;
  const { files } = ctx.services;
  if (draft && ctx.conversation.active(NEW_COURSE) === 0) {
    delete ctx.session.courseDraft;
    await files.discard(draft.fileId, draft.sellerId);
  }
  // A file that came through an upload link but was never taken ("Continue" not pressed).
  if (token && ctx.conversation.active(NEW_COURSE) === 0 && ctx.conversation.active(EDIT_COURSE) === 0) {
    const arrived = files.linkUpload(token);
    const seller = arrived && sellerOf(ctx);
    if (!arrived || !seller) return;
    delete ctx.session.courseUpload;
    await files.discard(arrived.fileId, seller.id);
  }
};

function preview(ctx: BotContext, draft: Draft) {
  const category = ctx.services.catalog.listCategories().find((c) => c.slug === draft.category);
  const description = draft.cover ? shorten(draft.description, CAPTION_DESCRIPTION_MAX) : draft.description;
  const text = ctx.t('course-preview', {
    title: escapeHtml(draft.title),
    description: escapeHtml(description),
    category: category ? categoryLabel(ctx, category) : draft.category,
    price: formatPrice(draft.priceCents, ctx.services.sellers.currency, ctx.user.language),
    stars: draft.stars ?? '—',
    file: escapeHtml(draft.file.name),
    size: formatSize(ctx, draft.file.size),
  });
  const keyboard = new Keyboard()
    .text(ctx.t('course-publish'))
    .text(ctx.t('course-edit'))
    .text(ctx.t('course-discard'))
    .oneTime()
    .resized();
  if (draft.cover) return ctx.replyWithPhoto(draft.cover, { caption: text, reply_markup: keyboard });
  return ctx.reply(text, { reply_markup: keyboard });
}

type Decision = 'done' | 'edit';

async function decide(
  ctx: BotContext,
  text: string,
  draft: Draft,
  fetchFile: FetchTelegramFile,
): Promise<Answer<Decision>> {
  if (text === ctx.t('course-edit')) return { ok: true, value: 'edit' };
  if (text === ctx.t('course-discard')) {
    await ctx.reply(ctx.t('course-discarded'), { reply_markup: removeKeyboard });
    return { ok: true, value: 'done' };
  }
  if (text !== ctx.t('course-publish')) {
    await preview(ctx, draft);
    return { ok: false };
  }
  const seller = sellerOf(ctx)!;
  // The cover's bytes are fetched once, at publishing: a discarded draft leaves nothing stored.
  const cover = draft.cover ? await coverFromTelegram(ctx, draft.cover, fetchFile) : undefined;
  try {
    const product = ctx.services.sellers.publishCourse(
      seller.id,
      {
        title: draft.title,
        description: draft.description,
        category: draft.category,
        price_cents: draft.priceCents,
        stars_price: draft.stars,
        file_id: draft.file.fileId,
      },
      cover,
    );
    delete ctx.session.courseDraft;
    const link = `https://t.me/${ctx.me.username}?start=p_${product.id}`;
    await ctx.reply(ctx.t('course-published', { title: escapeHtml(product.title), id: product.id, url: link }), {
      reply_markup: removeKeyboard,
    });
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== 'forbidden') throw error;
    await ctx.reply(ctx.t('course-refused-suspended'), { reply_markup: removeKeyboard });
  }
  return { ok: true, value: 'done' };
}

export const fieldsKeyboard = (ctx: BotContext) => {
  const keyboard = new Keyboard();
  COURSE_FIELDS.forEach((field, i) => {
    keyboard.text(fieldLabel(ctx, field));
    if (i % 2 === 1) keyboard.row();
  });
  return keyboard.oneTime().resized();
};

const takeFieldChoice = typed(async (ctx, text): Promise<Answer<CourseField>> => {
  const field = fieldOf(ctx, text);
  if (field) return { ok: true, value: field };
  await ctx.reply(ctx.t('course-edit-which'), { reply_markup: fieldsKeyboard(ctx) });
  return { ok: false };
});

/** /newcourse: title, description, category, price, Stars price, cover, the file, then a preview to publish, edit or discard. */
export function newCourseConversation({ clock, fetchFile }: { clock: Clock; fetchFile: FetchTelegramFile }) {
  return async (conversation: BotConversation, _ctx: Context) => {
    const ask = <T>(
      ask: (ctx: BotContext) => Promise<unknown>,
      take: (ctx: BotContext, message: Message) => Promise<Answer<T>>,
    ) => question(conversation, clock, ask, take);
    const field = <T>(name: CourseField, take: (ctx: BotContext, message: Message) => Promise<Answer<T>>) =>
      ask((ctx) => askField(ctx, name), take);
    const title = await ask(async (ctx) => {
      await ctx.reply(ctx.t('course-intro'), { reply_markup: removeKeyboard });
      return askField(ctx, 'title');
    }, takeTitle);
    const description = await field('description', takeDescription);
    const category = await field('category', takeCategory);
    const priceCents = await field('price', takePrice);
    const stars = await field('stars', takeStars);
    const cover = await field('cover', (ctx, message) => takeCover(ctx, message));
    const file = await field('file', (ctx, message) => takeDraftFile(ctx, message, fetchFile));
    const draft: Draft = { title, description, category, priceCents, stars, cover, file };
    for (;;) {
      const decision = await ask(
        (ctx) => preview(ctx, draft),
        typed((ctx, text) => decide(ctx, text, draft, fetchFile)),
      );
      if (decision === 'done') return;
      const chosen = await ask(
        (ctx) => ctx.reply(ctx.t('course-edit-which'), { reply_markup: fieldsKeyboard(ctx) }),
        takeFieldChoice,
      );
      if (chosen === 'title') draft.title = await field('title', takeTitle);
      else if (chosen === 'description') draft.description = await field('description', takeDescription);
      else if (chosen === 'category') draft.category = await field('category', takeCategory);
      else if (chosen === 'price') draft.priceCents = await field('price', takePrice);
      else if (chosen === 'stars') draft.stars = await field('stars', takeStars);
      else if (chosen === 'cover')
        draft.cover = await ask(
          (ctx) => askField(ctx, 'cover', true),
          (ctx, message) => takeCover(ctx, message, true),
        );
      else draft.file = await field('file', (ctx, message) => takeDraftFile(ctx, message, fetchFile));
    }
  };
}

/** /newcourse, for sellers. */
export const newCourseFeature = new Composer<BotContext>();

newCourseFeature.command('newcourse', async (ctx) => {
  const seller = sellerOf(ctx);
  if (!seller) return void (await ctx.reply(ctx.t('not-a-seller')));
  if (seller.status !== 'active') return void (await ctx.reply(ctx.t('course-refused-suspended')));
  await ctx.conversation.enter(NEW_COURSE);
});
