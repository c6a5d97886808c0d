import { GrammyError, InputFile, type InlineKeyboard } from 'grammy';
import { AppError } from '../../lib/errors.ts';
import type { CoverInput, CoverRef } from '../../modules/catalog/covers.ts';
import type { BotContext } from '../context.ts';

/** `GET <apiRoot>/file/bot<token>/<file_path>`: the bytes of a file getFile pointed at. */
export type FetchTelegramFile = (filePath: string) => Promise<Response>;

/** A file a user sent, downloaded from Telegram: getFile, then the file URL. */
export async function downloadTelegramFile(
  ctx: BotContext,
  fileId: string,
  fetchFile: FetchTelegramFile,
): Promise<Response & { body: ReadableStream<Uint8Array> }> {
  const { file_path: filePath } = await ctx.api.getFile(fileId);
  const response = filePath ? await fetchFile(filePath) : undefined;
  if (!response?.ok || !response.body)
    throw new Error(`Telegram file download failed: ${response?.status ?? 'no file_path'}`);
  return response as Response & { body: ReadableStream<Uint8Array> };
}

/**
 * The cover photo a seller sent in the bot, fetched once so that the catalog keeps its bytes
 * (GET /api/products/{id}/cover serves them) along with Telegram's file_id (the card re-sends it).
 */
export async function coverFromTelegram(
  ctx: BotContext,
  fileId: string,
  fetchFile: FetchTelegramFile,
): Promise<CoverInput> {
  const response = await downloadTelegramFile(ctx, fileId, fetchFile);
  return { bytes: new Uint8Array(await response.arrayBuffer()), telegramFileId: fileId };
}

/**
 * The product card as its cover photo. A cover set over HTTP has no Telegram file_id yet: the
 * first card uploads the bytes, and the file_id Telegram answers is kept for the next ones.
 * False when the bytes are gone (a DATA_DIR restored without its covers) or Telegram refuses the
 * picture (400: dimensions, format): the caller sends the text card, so a bad cover never hides it.
 */
export async function replyWithCover(
  ctx: BotContext,
  productId: string,
  cover: CoverRef,
  caption: string,
  keyboard: InlineKeyboard,
): Promise<boolean> {
  const { catalog } = ctx.services;
  try {
    if (cover.telegramFileId) {
      await ctx.replyWithPhoto(cover.telegramFileId, { caption, reply_markup: keyboard });
      return true;
    }
    const image = await catalog.coverImage(productId).catch((error: unknown) => {
      if (error instanceof AppError && error.code === 'not_found') return undefined;
      throw error;
    });
    if (!image) return false;
    const name = image.type === 'image/png' ? 'cover.png' : 'cover.jpg';
    const sent = await ctx.replyWithPhoto(new InputFile(new Uint8Array(await image.file.arrayBuffer()), name), {
      caption,
      reply_markup: keyboard,
    });
    const photo = sent.photo.at(-1);
    if (photo) catalog.rememberCoverFileId(productId, image.sha256, photo.file_id);
    return true;
  } catch (error) {
    if (error instanceof GrammyError && error.error_code === 400) return false;
    throw error;
  }
}
