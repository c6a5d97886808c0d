import type { Api } from 'grammy';
import { translate } from '../../locales/index.ts';
import type { UploadedFileView } from '../../modules/files/model.ts';
import type { Users } from '../../modules/users/service.ts';

/**
 * Outside any update: a seller's file sent through a one-time upload link (too big for the bot
 * to fetch) has arrived. The seller's /newcourse waits at the file step; "Continue" takes it.
 */
export async function sendUploadArrived(
  api: Api,
  users: Pick<Users, 'sellerUser'>,
  sellerId: number,
  file: UploadedFileView,
): Promise<void> {
  const user = users.sellerUser(sellerId);
  if (!user?.telegramId) return;
  const size = `${(file.size_bytes / 1024 ** 2).toFixed(1)} MB`;
  const text = translate(user.language, 'course-upload-arrived', { file: file.name, size });
  const keyboard = {
    keyboard: [[{ text: translate(user.language, 'course-upload-continue') }]],
    resize_keyboard: true,
    one_time_keyboard: true,
  };
  await api.sendMessage(user.telegramId, text, { reply_markup: keyboard });
}
