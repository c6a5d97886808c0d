import type { Api } from 'grammy';
import { translate, type TextArgs } from '../locales/index.ts';
import type { NotifyUser } from '../modules/admin/ports.ts';
import type { Users } from '../modules/users/service.ts';
import { escapeHtml } from './reply.ts';

/**
 * Tells a user something outside any update (a refund, a take-down...): the text `key` in the
 * user's language, as HTML with every argument escaped. Users without Telegram are skipped.
 */
export function createUserNotifier({
  api,
  users,
}: {
  api: Pick<Api, 'sendMessage'>;
  users: Pick<Users, 'get'>;
}): NotifyUser {
  return async (userId, key, args = {}) => {
    const user = users.get(userId);
    if (user.telegramId === null) return;
    const safe: TextArgs = Object.fromEntries(
      Object.entries(args).map(([k, v]) => [k, typeof v === 'string' ? escapeHtml(v) : v]),
    );
    await api.sendMessage(user.telegramId, translate(user.language, key, safe), { parse_mode: 'HTML' });
  };
}
