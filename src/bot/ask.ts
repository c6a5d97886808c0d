import type { Message } from 'grammy/types';
import type { Clock } from '../lib/clock.ts';
import type { BotContext } from './context.ts';
import { nextMessage, type BotConversation } from './middleware/conversations.ts';

/** An answer taken, or `retry` after the user was told what was wrong. Plain JSON: conversations replay it. */
export type Answer<T> = { ok: true; value: T } | { ok: false };
export const retry = { ok: false } as const;

/**
 * One question of a conversation: asked once, then every message goes through `take` (which
 * tells the user what is wrong and returns `retry`) until one is taken. /cancel, a command or
 * a button press, or the timeout end the conversation in `nextMessage`.
 */
export async function question<T>(
  conversation: BotConversation,
  clock: Clock,
  ask: (ctx: BotContext) => Promise<unknown>,
  take: (ctx: BotContext, message: Message) => Promise<Answer<T>>,
): Promise<T> {
  await conversation.external((ctx) => ask(ctx));
  for (;;) {
    const message = await nextMessage(conversation, clock);
    const answer = await conversation.external((ctx) => take(ctx, message));
    if (answer.ok) return answer.value;
  }
}

/** A `take` for typed answers: anything else (a sticker, a photo) is asked again as text. */
export const typed =
  <T>(take: (ctx: BotContext, text: string) => Promise<Answer<T>>) =>
  async (ctx: BotContext, message: Message): Promise<Answer<T>> => {
    if (message.text !== undefined) return take(ctx, message.text);
    await ctx.reply(ctx.t('sell-text-only'));
    return retry;
  };
