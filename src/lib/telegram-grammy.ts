import { GrammyError, InputFile, type Api } from 'grammy';
import { TelegramApiError, type TelegramClient, type TelegramDocument, type TelegramRefusal } from './telegram.ts';

/** Which refusal a GrammyError is, if it is one a caller acts on. */
function refusalOf(error: GrammyError): TelegramRefusal | undefined {
  if (error.error_code === 401) return 'unauthorized';
  if (error.error_code === 403) return 'blocked';
  if (error.error_code === 413) return 'too_large';
  // "Bad Request: wrong file identifier/HTTP URL specified" (or "wrong remote file identifier").
  if (error.error_code === 400 && /wrong (remote )?file identifier/i.test(error.description)) return 'stale_file_id';
  return undefined;
}

/**
 * Other errors pass unchanged: a 429 keeps grammY's `parameters.retry_after`, and the bot face
 * logs a GrammyError with Telegram's description.
 */
function mapped(error: unknown): unknown {
  const reason = error instanceof GrammyError ? refusalOf(error) : undefined;
  return reason
    ? new TelegramApiError(reason, (error as GrammyError).method, (error as GrammyError).description, { cause: error })
    : error;
}

const document = (doc: TelegramDocument) => (typeof doc === 'string' ? doc : new InputFile(doc.stream, doc.filename));

/**
 * The port of lib/telegram.ts over grammY's Api: whatever transformers the Api carries (the
 * bot's auto-retry of flood waits) still apply. Loaded with grammY, by app.ts, only when a
 * TELEGRAM_TOKEN is set.
 */
export function telegramClient(api: Pick<Api, 'sendDocument' | 'sendMessage'>): TelegramClient {
  return {
    async sendDocument(chatId, doc, options = {}) {
      const sent = await api
        .sendDocument(chatId, document(doc), { caption: options.caption })
        .catch((error: unknown) => {
          throw mapped(error);
        });
      return { messageId: sent.message_id, fileId: sent.document.file_id };
    },
    async sendMessage(chatId, text, options = {}) {
      const other = {
        ...(options.disableLinkPreview ? { link_preview_options: { is_disabled: true } } : {}),
        ...(options.buttons
          ? {
              reply_markup: {
                inline_keyboard: options.buttons.map((row) =>
                  row.map(({ text, callbackData }) => ({ text, callback_data: callbackData })),
                ),
              },
            }
          : {}),
      };
      const sent = await api.sendMessage(chatId, text, other).catch((error: unknown) => {
        throw mapped(error);
      });
      return { messageId: sent.message_id };
    },
  };
}
