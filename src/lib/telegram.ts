/**
 * The few Bot API calls the marketplace's modules make, behind a port of their own: modules
 * never import grammY. app.ts hands them a client built by lib/telegram-grammy.ts over the
 * bot's Api (or a plain one when the bot did not start). This file loads nothing of grammY,
 * so importing a module costs no grammY start-up (~0.4 s measured with
 * `bun -e "await import('grammy')"` on the 2-core CI machine).
 */

/**
 * The refusals of Telegram a caller acts on: `unauthorized` (401, wrong TELEGRAM_TOKEN),
 * `blocked` (403, the user blocked the bot or is gone), `too_large` (413, the upload is over
 * the Bot API's limit), `stale_file_id` (400, a cached file_id Telegram no longer accepts).
 */
export type TelegramRefusal = 'unauthorized' | 'blocked' | 'too_large' | 'stale_file_id';

/** Telegram refused a call for one of the reasons above. */
export class TelegramApiError extends Error {
  constructor(
    readonly reason: TelegramRefusal,
    /** The Bot API method, e.g. `sendDocument`. */
    readonly method: string,
    /** Telegram's own words, e.g. "Forbidden: bot was blocked by the user". */
    readonly description: string,
    options?: ErrorOptions,
  ) {
    super(`Telegram refused ${method} (${reason}): ${description}`, options);
    this.name = 'TelegramApiError';
  }
}

/** A document to send: a `file_id` Telegram already holds, or bytes streamed under a name. */
export type TelegramDocument = string | { stream: ReadableStream<Uint8Array>; filename: string };

/** What a sent message tells: its id and, for a document, the `file_id` to send it by next time. */
export interface SentMessage {
  messageId: number;
  fileId?: string;
}

/** How a plain text message goes out: without a link preview, with inline buttons (rows of them). */
export interface MessageOptions {
  disableLinkPreview?: boolean;
  buttons?: { text: string; callbackData: string }[][];
}

/**
 * Refusals listed in TelegramRefusal arrive as TelegramApiError; any other failure (a flood
 * wait, a network error, another 400) as the underlying client raised it.
 */
export interface TelegramClient {
  sendDocument(chatId: number, document: TelegramDocument, options?: { caption?: string }): Promise<SentMessage>;
  sendMessage(chatId: number, text: string, options?: MessageOptions): Promise<SentMessage>;
}

export const telegramRefused = (error: unknown, reason: TelegramRefusal): error is TelegramApiError =>
  error instanceof TelegramApiError && error.reason === reason;
