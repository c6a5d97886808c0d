import { Keyboard } from 'grammy';
import type { Message } from 'grammy/types';
import { AppError } from '../../lib/errors.ts';
import {
  COURSE_DESCRIPTION_MAX,
  COURSE_TITLE_MAX,
  COURSE_TITLE_MIN,
  checkCourseDescription,
  checkCourseTitle,
  parsePriceCents,
  parseStars,
} from '../../modules/sellers/course-input.ts';
import { retry, typed, type Answer } from '../ask.ts';
import type { BotContext } from '../context.ts';
import { formatSize } from '../format.ts';
import { removeKeyboard, skipKeyboard } from '../keyboards/sell.ts';
import { downloadTelegramFile, type FetchTelegramFile } from './cover-photo.ts';
import { sellerOf } from './sell.ts';

/**
 * The answers a seller gives about a course, one field at a time: asked and taken the same way
 * by /newcourse and by "Edit" in /mycourses, over the rules of modules/sellers/course-input.ts.
 */

/** The Bot API's getFile limit: a bot cannot download bigger files from Telegram. */
export const BOT_DOWNLOAD_LIMIT_BYTES = 20 * 1024 * 1024;

/** The course file once stored by the files module (JSON: the conversation replays it). */
export interface StoredCourseFile {
  fileId: string;
  name: string;
  size: number;
}

export type { FetchTelegramFile } from './cover-photo.ts';

export const COURSE_FIELDS = ['title', 'description', 'category', 'price', 'stars', 'cover', 'file'] as const;
export type CourseField = (typeof COURSE_FIELDS)[number];

export const categoryLabel = (ctx: BotContext, c: { emoji: string; name: string; name_fr: string }) =>
  `${c.emoji} ${ctx.user.language === 'fr' ? c.name_fr : c.name}`;

function categoriesKeyboard(ctx: BotContext) {
  const keyboard = new Keyboard();
  ctx.services.catalog.listCategories().forEach((c, i) => {
    keyboard.text(categoryLabel(ctx, c));
    if (i % 2 === 1) keyboard.row();
  });
  return keyboard.oneTime().resized();
}

/** "Skip" while creating; while editing, the cover can also be removed. */
const coverKeyboard = (ctx: BotContext, editing: boolean) =>
  editing ? new Keyboard().text(ctx.t('course-cover-remove')).oneTime().resized() : skipKeyboard(ctx);

/** The question of each field. */
export function askField(ctx: BotContext, field: CourseField, editing = false): Promise<unknown> {
  switch (field) {
    case 'title':
      return ctx.reply(ctx.t('course-ask-title', { min: COURSE_TITLE_MIN, max: COURSE_TITLE_MAX }), {
        reply_markup: removeKeyboard,
      });
    case 'description':
      return ctx.reply(ctx.t('course-ask-description', { max: COURSE_DESCRIPTION_MAX }), {
        reply_markup: removeKeyboard,
      });
    case 'category':
      return ctx.reply(ctx.t('course-ask-category'), { reply_markup: categoriesKeyboard(ctx) });
    case 'price':
      return ctx.reply(ctx.t('course-ask-price', { currency: ctx.services.sellers.currency }), {
        reply_markup: removeKeyboard,
      });
    case 'stars':
      return ctx.reply(ctx.t('course-ask-stars'), { reply_markup: skipKeyboard(ctx) });
    case 'cover':
      return ctx.reply(ctx.t(editing ? 'course-ask-cover-edit' : 'course-ask-cover'), {
        reply_markup: coverKeyboard(ctx, editing),
      });
    case 'file':
      return ctx.reply(ctx.t('course-ask-file', { size: formatSize(ctx, BOT_DOWNLOAD_LIMIT_BYTES) }), {
        reply_markup: removeKeyboard,
      });
  }
}

export const takeTitle = typed(async (ctx, text): Promise<Answer<string>> => {
  const checked = checkCourseTitle(text);
  if (checked.ok) return checked;
  await ctx.reply(ctx.t('course-title-invalid', { min: COURSE_TITLE_MIN, max: COURSE_TITLE_MAX }));
  return retry;
});

export const takeDescription = typed(async (ctx, text): Promise<Answer<string>> => {
  const checked = checkCourseDescription(text);
  if (checked.ok) return checked;
  await ctx.reply(ctx.t('course-description-invalid', { max: COURSE_DESCRIPTION_MAX }));
  return retry;
});

export const takeCategory = typed(async (ctx, text): Promise<Answer<string>> => {
  const found = ctx.services.catalog
    .listCategories()
    .find((c) => categoryLabel(ctx, c) === text.trim() || c.slug === text.trim().toLowerCase());
  if (found) return { ok: true, value: found.slug };
  await ctx.reply(ctx.t('course-category-unknown'), { reply_markup: categoriesKeyboard(ctx) });
  return retry;
});

export const takePrice = typed(async (ctx, text): Promise<Answer<number>> => {
  const checked = parsePriceCents(text);
  if (checked.ok) return checked;
  await ctx.reply(ctx.t('course-price-invalid'));
  return retry;
});

export const takeStars = typed(async (ctx, text): Promise<Answer<number | null>> => {
  if (text.trim() === ctx.t('sell-skip')) return { ok: true, value: null };
  const checked = parseStars(text);
  if (checked.ok) return checked;
  await ctx.reply(ctx.t('course-stars-invalid'), { reply_markup: skipKeyboard(ctx) });
  return retry;
});

/** A photo (its largest size's file_id), or none: "Skip" (or "No cover" when editing). */
export async function takeCover(ctx: BotContext, message: Message, editing = false): Promise<Answer<string | null>> {
  const largest = message.photo?.at(-1);
  if (largest) return { ok: true, value: largest.file_id };
  const text = message.text?.trim();
  if (text === ctx.t('sell-skip') || text === ctx.t('course-cover-remove')) return { ok: true, value: null };
  await ctx.reply(ctx.t('course-cover-invalid'), { reply_markup: coverKeyboard(ctx, editing) });
  return retry;
}

/** Refusals of the files module (type, size, name) the seller can act on. */
const FILE_REFUSALS: Partial<Record<AppError['code'], string>> = {
  unsupported_media_type: 'course-file-type',
  validation_failed: 'course-file-type',
  payload_too_large: 'course-file-too-large',
};

/**
 * The document: fetched from Telegram (getFile, then the file URL) and streamed through the
 * files module like an HTTP upload (type check, hash, compression, storage), keeping Telegram's
 * file_id for delivery. Bigger than a bot may download: a one-time link to the upload page.
 */
export async function takeFile(
  ctx: BotContext,
  message: Message,
  fetchFile: FetchTelegramFile,
): Promise<Answer<StoredCourseFile>> {
  const document = message.document;
  const { files } = ctx.services;
  const seller = sellerOf(ctx)!;
  if (!document) return takeLinkUpload(ctx);
  if ((document.file_size ?? 0) > BOT_DOWNLOAD_LIMIT_BYTES) {
    // Too big for getFile: a one-time link to the upload page; the bot says when it arrived.
    const link = files.createUploadLink(seller.id);
    ctx.session.courseUpload = link.token;
    await ctx.reply(ctx.t('course-file-use-link', { size: formatSize(ctx, BOT_DOWNLOAD_LIMIT_BYTES), url: link.url }));
    return retry;
  }
  const response = await downloadTelegramFile(ctx, document.file_id, fetchFile);
  try {
    const stored = await files.upload({
      uploader: { principal: { role: 'seller', keyId: 'bot', sellerId: seller.id } },
      filename: document.file_name ?? 'course',
      body: response.body,
      declaredLength: document.file_size,
      telegramFileId: document.file_id,
    });
    return { ok: true, value: { fileId: stored.file_id, name: stored.name, size: stored.size_bytes } };
  } catch (error) {
    const key = error instanceof AppError ? FILE_REFUSALS[error.code] : undefined;
    if (!key) throw error;
    await ctx.reply(ctx.t(key, { size: formatSize(ctx, files.maxFileSizeBytes) }));
    return retry;
  }
}

/** Not a document: the file of a pending upload link once it arrived, else the file is asked for again. */
async function takeLinkUpload(ctx: BotContext): Promise<Answer<StoredCourseFile>> {
  const token = ctx.session.courseUpload;
  const arrived = token ? ctx.services.files.linkUpload(token) : null;
  if (arrived) {
    delete ctx.session.courseUpload;
    return { ok: true, value: { fileId: arrived.fileId, name: arrived.name, size: arrived.size } };
  }
  await ctx.reply(ctx.t(token ? 'course-upload-waiting' : 'course-file-document-only'), {
    reply_markup: removeKeyboard,
  });
  return retry;
}

/** The label of each field on the "Edit" buttons. */
export const fieldLabel = (ctx: BotContext, field: CourseField) => ctx.t(`course-field-${field}`);

/** The field whose label was pressed. */
export const fieldOf = (ctx: BotContext, text: string): CourseField | undefined =>
  COURSE_FIELDS.find((field) => fieldLabel(ctx, field) === text.trim());
