import { session } from 'grammy';
import type { JsonStore } from '../../store/bot-sessions.ts';
import type { BotContext, SessionData } from '../context.ts';

/** Per chat (per user in private chats); updates without a chat or sender have no session. */
export const sessionKey = (ctx: Pick<BotContext, 'chat' | 'from'>): string | undefined =>
  ctx.chat?.id !== undefined ? String(ctx.chat.id) : ctx.from?.id !== undefined ? String(ctx.from.id) : undefined;

export function sessionMiddleware(storage: JsonStore<SessionData>) {
  return session<SessionData, BotContext>({ initial: () => ({}), storage, getSessionKey: sessionKey });
}
