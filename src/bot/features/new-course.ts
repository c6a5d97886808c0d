import { Composer, Keyboard, type Context } from 'grammy';
import type { Message } from 'grammy/types';
import type { Clock } from '../../lib/clock.ts';
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
import { question, retry, typed, type Answer } from '../ask.ts';
import type { BotContext } from '../context.ts';
import { formatPrice, formatSize } from '../format.ts';
import { removeKeyboard, skipKeyboard } from '../keyboards/sell.ts';
import type { BotConversation } from '../middleware/conversations.ts';
import { escapeHtml } from '../reply.ts';
import { sellerOf } from './sell.ts';

export const NEW_COURSE = 'new-course';
/** The Bot API's getFile limit: a bot cannot download bigger files from Telegram. */
export const BOT_DOWNLOAD_LIMIT_BYTES = 20 * 1024 * 1024;

/** The course file once stored by the files module (JSON: the conversation replays it). */
interface StoredCourseFile {
  fileId: string;
  name: string;
  size: number;
}

/** `GET <apiRoot>/file/bot<token>/<file_path>`: the bytes of a file getFile pointed at. */
export type FetchTelegramFile = (filePath: string) => Promise<Response>;

const categoryLabel = (ctx: BotContext, c: { emoji: string; name: string; name_fr: string }) =>
  `${c.emoji} ${ctx.user.language === 'fr' ? c.name_fr : c.name}`;

function categoriesKeyboard(ctx: BotContext) {
  const keyboard = new Keyboard();
  ctx.services.catalog.listCategories().forEach((c, i) => {
    keyboard.text(categoryLabel(ctx, c));
    if (i % 2 === 1) keyboard.row();
  });
  return keyboard.oneTime().resized();
}

async function takeTitle(ctx: BotContext, text: string): Promise<Answer<string>> {
  const checked = checkCourseTitle(text);
  if (checked.ok) return checked;
  await ctx.reply(ctx.t('course-title-invalid', { min: COURSE_TITLE_MIN, max: COURSE_TITLE_MAX }));
  return retry;
}

async function takeDescription(ctx: BotContext, text: string): Promise<Answer<string>> {
  const checked = checkCourseDescription(text);
  if (checked.ok) return checked;
  await ctx.reply(ctx.t('course-description-invalid', { max: COURSE_DESCRIPTION_MAX }));
  return retry;
}

async function takeCategory(ctx: BotContext, text: string): Promise<Answer<string>> {
  const found = ctx.services.catalog
    .listCategories()
    .find((c) => categoryLabel(ctx, c) === text.trim() || c.slug === text.trim().toLowerCase());
  if (found) return { ok: true, value: found.slug };
  await ctx.reply(ctx.t('course-category-unknown'), { reply_markup: categoriesKeyboard(ctx) });
  return retry;
}

async function takePrice(ctx: BotContext, text: string): Promise<Answer<number>> {
  const checked = parsePriceCents(text);
  if (checked.ok) return checked;
  await ctx.reply(ctx.t('course-price-invalid'));
  return retry;
}

async function takeStars(ctx: BotContext, text: string): Promise<Answer<number | null>> {
  if (text.trim() === ctx.t('sell-skip')) return { ok: true, value: null };
  const checked = parseStars(text);
  if (checked.ok) return checked;
  await ctx.reply(ctx.t('course-stars-invalid'), { reply_markup: skipKeyboard(ctx) });
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
 * file_id for delivery. Bigger than a bot may download: asked again, with the limit.
 */
async function takeFile(
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
  const { file_path: filePath } = await ctx.api.getFile(document.file_id);
  const response = filePath ? await fetchFile(filePath) : undefined;
  if (!response?.ok || !response.body)
    throw new Error(`Telegram file download failed: ${response?.status ?? 'no file_path'}`);
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

interface Draft {
  title: string;
  description: string;
  category: string;
  priceCents: number;
  stars: number | null;
  file: StoredCourseFile;
}

function preview(ctx: BotContext, draft: Draft) {
  const category = ctx.services.catalog.listCategories().find((c) => c.slug === draft.category);
  const text = ctx.t('course-preview', {
    title: escapeHtml(draft.title),
    description: escapeHtml(draft.description),
    category: category ? categoryLabel(ctx, category) : draft.category,
    price: formatPrice(draft.priceCents, ctx.services.sellers.currency, ctx.user.language),
    stars: draft.stars ?? '—',
    file: escapeHtml(draft.file.name),
    size: formatSize(ctx, draft.file.size),
  });
  const keyboard = new Keyboard().text(ctx.t('course-publish')).text(ctx.t('course-discard')).oneTime().resized();
  return ctx.reply(text, { reply_markup: keyboard });
}

async function decide(ctx: BotContext, text: string, draft: Draft): Promise<Answer<true>> {
  if (text === ctx.t('course-discard')) {
    await ctx.reply(ctx.t('course-discarded'), { reply_markup: removeKeyboard });
    return { ok: true, value: true };
  }
  if (text !== ctx.t('course-publish')) {
    await preview(ctx, draft);
    return retry;
  }
  const seller = sellerOf(ctx)!;
  try {
    const product = ctx.services.sellers.publishCourse(seller.id, {
      title: draft.title,
      description: draft.description,
      category: draft.category,
      price_cents: draft.priceCents,
      stars_price: draft.stars,
      file_id: draft.file.fileId,
    });
    const link = `https://t.me/${ctx.me.username}?start=p_${product.id}`;
    await ctx.reply(ctx.t('course-published', { title: escapeHtml(product.title), id: product.id, url: link }), {
      reply_markup: removeKeyboard,
    });
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== 'forbidden') throw error;
    await ctx.reply(ctx.t('course-refused-suspended'), { reply_markup: removeKeyboard });
  }
  return { ok: true, value: true };
}

/** /newcourse: title, description, category, price, Stars price, the file, then a preview to publish or discard. */
export function newCourseConversation({ clock, fetchFile }: { clock: Clock; fetchFile: FetchTelegramFile }) {
  return async (conversation: BotConversation, _ctx: Context) => {
    const ask = <T>(
      ask: (ctx: BotContext) => Promise<unknown>,
      take: (ctx: BotContext, message: Message) => Promise<Answer<T>>,
    ) => question(conversation, clock, ask, take);
    const title = await ask(
      (ctx) =>
        ctx.reply(
          `${ctx.t('course-intro')}\n\n${ctx.t('course-ask-title', { min: COURSE_TITLE_MIN, max: COURSE_TITLE_MAX })}`,
          { reply_markup: removeKeyboard },
        ),
      typed(takeTitle),
    );
    const description = await ask(
      (ctx) => ctx.reply(ctx.t('course-ask-description', { max: COURSE_DESCRIPTION_MAX })),
      typed(takeDescription),
    );
    const category = await ask(
      (ctx) => ctx.reply(ctx.t('course-ask-category'), { reply_markup: categoriesKeyboard(ctx) }),
      typed(takeCategory),
    );
    const priceCents = await ask(
      (ctx) =>
        ctx.reply(ctx.t('course-ask-price', { currency: ctx.services.sellers.currency }), {
          reply_markup: removeKeyboard,
        }),
      typed(takePrice),
    );
    const stars = await ask(
      (ctx) => ctx.reply(ctx.t('course-ask-stars'), { reply_markup: skipKeyboard(ctx) }),
      typed(takeStars),
    );
    const file = await ask(
      (ctx) =>
        ctx.reply(ctx.t('course-ask-file', { size: formatSize(ctx, BOT_DOWNLOAD_LIMIT_BYTES) }), {
          reply_markup: removeKeyboard,
        }),
      (ctx, message) => takeFile(ctx, message, fetchFile),
    );
    const draft: Draft = { title, description, category, priceCents, stars, file };
    await ask(
      (ctx) => preview(ctx, draft),
      typed((ctx, text) => decide(ctx, text, draft)),
    );
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
