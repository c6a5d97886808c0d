/**
 * Callback queries (a user pressed an inline button) and answerCallbackQuery. Each query can be
 * answered once; an unknown or already answered id gets Telegram's "query is too old" 400.
 */
import type { CallbackAnswer } from './events.ts';
import type { MethodHandler } from './methods.ts';
import { ApiError, TelegramErrors } from './protocol.ts';
import { bad, boolOf, intOf, textOf } from './state.ts';

export interface CallbackQueryRecord {
  id: string;
  user_id: number;
  chat_id: number;
  message_id: number;
  data: string;
  answer?: CallbackAnswer;
}

export const queryMethods: Record<string, MethodHandler> = {
  answerCallbackQuery: ({ state, params }) => {
    const query = state.callbackQueries.get(textOf(params.callback_query_id));
    if (!query || query.answer) throw new ApiError(TelegramErrors.queryInvalid());
    const text = params.text === undefined ? undefined : textOf(params.text);
    if (text !== undefined && text.length > 200) throw bad('MESSAGE_TOO_LONG');
    const answer: CallbackAnswer = {
      ...(text !== undefined ? { text } : {}),
      ...(params.show_alert !== undefined ? { show_alert: boolOf(params.show_alert) } : {}),
      ...(params.url !== undefined ? { url: textOf(params.url) } : {}),
      ...(params.cache_time !== undefined ? { cache_time: intOf(params.cache_time, 0) } : {}),
    };
    query.answer = answer;
    state.events.emit({ kind: 'callback-answer', queryId: query.id, answer });
    return true;
  },
};
