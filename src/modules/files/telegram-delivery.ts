import { and, eq } from 'drizzle-orm';
import type { Logger } from '../../lib/logger.ts';
import { numberFormat } from '../../lib/number-format.ts';
import { PermanentJobError } from '../../lib/queue.ts';
import { telegramRefused, type TelegramClient } from '../../lib/telegram.ts';
import { translate } from '../../locales/index.ts';
import type { Db } from '../../store/database.ts';
import { files } from '../../store/schema/index.ts';
import { blobPath } from './paths.ts';

/** Bots upload at most 50 MB (Bot API `sendDocument`); larger files go out as a download link. */
export const TELEGRAM_UPLOAD_LIMIT_BYTES = 50 * 1024 * 1024;

export type FileRow = typeof files.$inferSelect;
export type DeliveryLanguage = 'fr' | 'en';
/** How the file reached the chat: re-sent by Telegram's cached id, uploaded, or as a link. */
export type DeliveryMethod = 'file_id' | 'upload' | 'link';

export interface DeliverFileInput {
  chatId: number;
  file: FileRow;
  /** The course's title: the file's caption, the same after payment and on "download again". */
  title?: string;
  /** Language of the link message (default English). */
  language?: DeliveryLanguage;
  /** Makes the signed download link; called only when the file goes out as a link. */
  downloadUrl: () => string | Promise<string>;
}

export interface DeliveryResult {
  method: DeliveryMethod;
  messageId: number;
}

/**
 * Telegram answered 403: the user blocked the bot (or deleted the account). Trying again cannot
 * help, so it is a PermanentJobError (the `deliver` job goes straight to dead) and its own class,
 * so the job can tell it apart and mark the buyer `blocked_bot`.
 */
export class BotBlockedError extends PermanentJobError {
  constructor(
    readonly chatId: number,
    readonly description: string,
    options?: ErrorOptions,
  ) {
    super(`Telegram chat ${chatId} cannot be reached: ${description}`, options);
    this.name = 'BotBlockedError';
  }
}

/** Telegram answered 401: TELEGRAM_TOKEN is wrong. Retryable: a fixed token and a restart help. */
export class TelegramTokenError extends Error {
  constructor(options?: ErrorOptions) {
    super('Telegram rejected the bot token (401 Unauthorized): check TELEGRAM_TOKEN', options);
    this.name = 'TelegramTokenError';
  }
}

export interface TelegramDeliveryDeps {
  /** The Bot API, through lib/telegram.ts's port (app.ts builds it over grammY's Api). */
  telegram: TelegramClient;
  db: Db;
  dataDir: string;
  logger: Logger;
}

function formatSize(bytes: number, language: DeliveryLanguage): string {
  const mb = numberFormat(language, { maximumFractionDigits: 1 }).format(bytes / (1024 * 1024));
  return language === 'fr' ? `${mb} Mo` : `${mb} MB`;
}

/** Plain text (no parse mode): titles are at most 120 characters, well within a caption's 1024. */
export const fileCaption = (title: string) => `📘 ${title}`;

/** grammY writes the name unquoted into the multipart header: no line breaks, no quotes. */
const multipartName = (name: string) => name.replace(/[\r\n]+/g, ' ').replaceAll('"', "'");

/**
 * Streams the original bytes of a stored file (gunzipped on the fly), and fails the stream at its
 * end when size or SHA-256 differ from the files row: a damaged blob aborts the upload instead of
 * reaching the buyer. `onDamaged` gets that error (grammY reports only a failed request).
 */
function originalBytes(dataDir: string, file: FileRow, onDamaged: (error: Error) => void): ReadableStream<Uint8Array> {
  const stored = Bun.file(blobPath(dataDir, file.sha256, file.compression)).stream() as ReadableStream<Uint8Array>;
  const original =
    file.compression === 'gzip'
      ? stored.pipeThrough(new DecompressionStream('gzip') as ReadableWritablePair<Uint8Array, Uint8Array>)
      : stored;
  const hasher = new Bun.CryptoHasher('sha256');
  let size = 0;
  return original.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        hasher.update(chunk);
        size += chunk.byteLength;
        controller.enqueue(chunk);
      },
      flush(controller) {
        if (size === file.sizeBytes && hasher.digest('hex') === file.sha256) return;
        const damaged = new Error(`stored blob of file ${file.id} does not match its size or sha256`);
        onDamaged(damaged);
        controller.error(damaged);
      },
    }),
  );
}

/**
 * Sends a course file into a Telegram chat the cheapest way that works: by the `file_id`
 * Telegram gave at the first upload; else as a streamed upload (<= 50 MB) whose `file_id` is
 * then remembered; else as a message with a signed download link.
 */
export function createTelegramDelivery({ telegram, db, dataDir, logger }: TelegramDeliveryDeps) {
  const log = logger.child({ component: 'telegram-delivery' });

  const remember = (fileId: string, telegramFileId: string) =>
    db.update(files).set({ telegramFileId }).where(eq(files.id, fileId)).run();
  /** Clears a refused id, unless another delivery has already stored a fresh one. */
  const forget = (fileId: string, stale: string) =>
    db
      .update(files)
      .set({ telegramFileId: null })
      .where(and(eq(files.id, fileId), eq(files.telegramFileId, stale)))
      .run();

  async function upload({ chatId, file, title }: DeliverFileInput): Promise<DeliveryResult> {
    const caption = title === undefined ? undefined : fileCaption(title);
    const path = blobPath(dataDir, file.sha256, file.compression);
    if (!(await Bun.file(path).exists())) throw new Error(`stored blob of file ${file.id} is missing (${path})`);
    let damaged: Error | undefined;
    const bytes = originalBytes(dataDir, file, (error) => (damaged = error));
    const document = { stream: bytes, filename: multipartName(file.originalName) };
    const sent = await telegram.sendDocument(chatId, document, { caption }).catch((error: unknown) => {
      throw damaged ?? error;
    });
    if (sent.fileId) remember(file.id, sent.fileId);
    return { method: 'upload', messageId: sent.messageId };
  }

  async function link({ chatId, file, language = 'en', downloadUrl }: DeliverFileInput): Promise<DeliveryResult> {
    const url = await downloadUrl();
    const text = translate(language, 'file-too-large-link', {
      name: file.originalName,
      size: formatSize(file.sizeBytes, language),
      url,
    });
    const sent = await telegram.sendMessage(chatId, text, { disableLinkPreview: true });
    return { method: 'link', messageId: sent.messageId };
  }

  async function send(input: DeliverFileInput): Promise<DeliveryResult> {
    const { chatId, file, title } = input;
    const caption = title === undefined ? undefined : fileCaption(title);
    if (file.telegramFileId) {
      try {
        const sent = await telegram.sendDocument(chatId, file.telegramFileId, { caption });
        return { method: 'file_id', messageId: sent.messageId };
      } catch (error) {
        if (!telegramRefused(error, 'stale_file_id')) throw error;
        log.warn(
          { fileId: file.id, description: error.description },
          'cached Telegram file_id refused; uploading again',
        );
        forget(file.id, file.telegramFileId);
      }
    }
    if (file.sizeBytes <= TELEGRAM_UPLOAD_LIMIT_BYTES) {
      try {
        return await upload(input);
      } catch (error) {
        // The limit is "50 MB" in the docs; should Telegram count it smaller, the link still works.
        if (!telegramRefused(error, 'too_large')) throw error;
        log.warn(
          { fileId: file.id, sizeBytes: file.sizeBytes },
          'Telegram refused the upload as too large; sending a link',
        );
      }
    }
    return link(input);
  }

  /**
   * Throws BotBlockedError on 403, TelegramTokenError on 401; other failures surface as the
   * Telegram client raised them (a 429 keeps Telegram's retry_after).
   */
  async function deliverFile(input: DeliverFileInput): Promise<DeliveryResult> {
    try {
      return await send(input);
    } catch (error) {
      if (telegramRefused(error, 'blocked'))
        throw new BotBlockedError(input.chatId, error.description, { cause: error });
      if (telegramRefused(error, 'unauthorized')) throw new TelegramTokenError({ cause: error });
      throw error;
    }
  }

  return { deliverFile };
}

export type TelegramDelivery = ReturnType<typeof createTelegramDelivery>;
