import { conversations, type Conversation, type ConversationData, type VersionedState } from '@grammyjs/conversations';
import { Composer, type Context } from 'grammy';
import type { Message } from 'grammy/types';
import type { Clock } from '../../lib/clock.ts';
import type { JsonStore } from '../../store/bot-sessions.ts';
import type { BotContext } from '../context.ts';

/**
 * Version of the conversations' stored steps. Bump it when a conversation's sequence of waits
 * and `external` calls changes: states stored by an older deploy are then dropped (the chat
 * simply is not waiting any more) instead of being replayed against different code.
 */
const STEPS_VERSION = 2;

/**
 * How long the bot waits for a typed answer. Later, the buyer has moved on: the text is taken
 * for what it is anywhere else (a search) and the question is dropped.
 */
export const ANSWER_TIMEOUT_MS = 30 * 60_000;

/** Inside a conversation; every effect goes through `conversation.external(ctx => ...)` on the outside context. */
export type BotConversation = Conversation<BotContext, Context>;

/**
 * Multi-step input (@grammyjs/conversations), stored in SQLite next to the sessions under
 * `conv:<chat id>`, so a conversation outlives a restart.
 */
export function conversationsMiddleware(store: JsonStore<VersionedState<ConversationData>>) {
  return conversations<BotContext, Context>({
    storage: { type: 'key', version: STEPS_VERSION, prefix: 'conv:', adapter: store },
  });
}

const isCommand = (ctx: BotContext) => ctx.message?.text?.startsWith('/') === true;

/**
 * Installed after `conversationsMiddleware` and before the conversations themselves (which
 * would otherwise take the update first): `/cancel` ends the wait, and so does any other
 * command or button press, which then goes on to the feature it is for.
 */
export const leaveConversations = new Composer<BotContext>();

leaveConversations.command('cancel', async (ctx) => {
  const waiting = Object.keys(ctx.conversation.active()).length > 0;
  await ctx.conversation.exitAll();
  await ctx.reply(ctx.t(waiting ? 'conversation-cancelled' : 'conversation-nothing-to-cancel'));
});

leaveConversations.use(async (ctx, next) => {
  if ((ctx.callbackQuery || isCommand(ctx)) && Object.keys(ctx.conversation.active()).length > 0) {
    await ctx.conversation.exitAll();
  }
  await next();
});

/** Payments, pins and other service messages are not something the user said to the bot. */
const isServiceMessage = (message: Message) =>
  message.successful_payment !== undefined ||
  message.refunded_payment !== undefined ||
  message.pinned_message !== undefined;

/**
 * The chat's next message, as the answer to the question asked. Other updates of the chat (a
 * payment, an edit, a member change) go on to the features and the wait goes on. An answer
 * later than `timeoutMs` ends the conversation and goes on to the features like any message.
 * The time is the app's clock, read once per wait and replayed as it was.
 */
export async function nextMessage(
  conversation: BotConversation,
  clock: Clock,
  timeoutMs = ANSWER_TIMEOUT_MS,
): Promise<Message> {
  const asked = await conversation.external(() => clock.now());
  const { message } = await conversation.wait();
  const answered = await conversation.external(() => clock.now());
  if (answered - asked >= timeoutMs) await conversation.halt({ next: true });
  if (!message || isServiceMessage(message)) return conversation.skip({ next: true });
  return message;
}
