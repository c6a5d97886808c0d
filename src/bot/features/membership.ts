import { Composer } from 'grammy';
import type { BotContext } from '../context.ts';

/**
 * my_chat_member in a private chat: the user blocked the bot (`kicked`) or came back
 * (`member`), so users.blocked_bot (also set by a delivery that got 403) says what Telegram says.
 */
export const membershipFeature = new Composer<BotContext>();

membershipFeature.chatType('private').on('my_chat_member', (ctx) => {
  const status = ctx.myChatMember.new_chat_member.status;
  if (status === 'kicked') ctx.services.users.setBlockedBot(ctx.user.id, true);
  else if (status === 'member') ctx.services.users.setBlockedBot(ctx.user.id, false);
});
