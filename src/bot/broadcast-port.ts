import { GrammyError, InlineKeyboard, type Api } from 'grammy';
import { translate } from '../locales/index.ts';
import type { BroadcastSenderPorts, SendOutcome } from '../modules/admin/broadcast-send.ts';
import type { Users } from '../modules/users/service.ts';
import { cb } from './keyboards/callback-data.ts';

type BroadcastApi = Pick<Api, 'sendMessage' | 'sendPhoto' | 'editMessageText'>;

/** Telegram's answer to one send, in the broadcast's words. */
export function outcomeOf(error: unknown): SendOutcome {
  if (error instanceof GrammyError) {
    if (error.error_code === 403) return { kind: 'blocked' };
    if (error.error_code === 429) return { kind: 'retry', retryAfterSeconds: error.parameters.retry_after ?? 1 };
    return { kind: 'failed', error: error.description };
  }
  return { kind: 'failed', error: String(error) };
}

/**
 * The broadcast's Telegram side. `api` must NOT retry 429s itself (no auto-retry): the sender
 * waits retry_after and paces every send (modules/admin/broadcast-send.ts).
 */
export function createBroadcastPorts({
  api,
  users,
}: {
  api: BroadcastApi;
  users: Pick<Users, 'findByTelegramId'>;
}): BroadcastSenderPorts {
  return {
    async send(telegramId, { text, photo }) {
      try {
        if (photo) await api.sendPhoto(telegramId, photo, { caption: text, parse_mode: 'HTML' });
        else await api.sendMessage(telegramId, text, { parse_mode: 'HTML' });
        return { kind: 'sent' };
      } catch (error) {
        return outcomeOf(error);
      }
    },
    async progress(broadcast, counts, done) {
      if (broadcast.progressChatId === null || broadcast.progressMessageId === null) return;
      const language = users.findByTelegramId(broadcast.progressChatId)?.language;
      const t = (key: string, args?: Record<string, string | number>) => translate(language, key, args);
      const figures = {
        id: broadcast.id,
        total: broadcast.total,
        sent: counts.sent,
        blocked: counts.blocked,
        failed: counts.failed + counts.sending,
      };
      const text = done
        ? t('admin-broadcast-report', {
            ...figures,
            left: counts.pending,
            state: t(
              broadcast.status === 'cancelled' ? 'admin-broadcast-state-cancelled' : 'admin-broadcast-state-done',
            ),
          })
        : t('admin-broadcast-progress', { ...figures, done: broadcast.total - counts.pending });
      const cancel = new InlineKeyboard().text(
        t('button-admin-broadcast-cancel'),
        cb.admin.pack({ verb: 'bcstop', arg: String(broadcast.id) }),
      );
      await api.editMessageText(
        broadcast.progressChatId,
        broadcast.progressMessageId,
        text,
        done ? {} : { reply_markup: cancel },
      );
    },
  };
}
