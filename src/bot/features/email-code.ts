import { Keyboard } from 'grammy';
import type { Clock } from '../../lib/clock.ts';
import { AppError } from '../../lib/errors.ts';
import { CODE_TTL_MS, type CodeSent } from '../../modules/sellers/email-codes.ts';
import type { CodeRefusal } from '../../modules/sellers/service.ts';
import { type Answer, question, retry, typed } from '../ask.ts';
import type { BotContext } from '../context.ts';
import { removeKeyboard } from '../keyboards/sell.ts';
import type { BotConversation } from '../middleware/conversations.ts';

/** One e-mail code step: how to send (again) a code, how to check a typed one, what giving up is called. */
export interface CodeStep<T> {
  send(ctx: BotContext): Promise<CodeSent>;
  check(
    ctx: BotContext,
    typed: string,
  ): Promise<{ ok: true; value: T } | CodeRefusal> | { ok: true; value: T } | CodeRefusal;
  /** The button that gives up: `email-code-skip` (keep the e-mail unverified) or `email-code-cancel`. */
  giveUp: 'email-code-skip' | 'email-code-cancel';
}

const codeKeyboard = (ctx: BotContext, giveUp: string) =>
  new Keyboard().text(ctx.t('email-code-resend')).text(ctx.t(giveUp)).oneTime().resized();

const REFUSALS: Record<CodeRefusal['reason'], string> = {
  wrong: 'email-code-wrong',
  expired: 'email-code-expired',
  exhausted: 'email-code-exhausted',
  none: 'email-code-expired',
};

/** Says where the code went, with the "Resend" and give-up buttons. */
const announce = (ctx: BotContext, sent: CodeSent, giveUp: string) =>
  ctx.reply(ctx.t('email-code-sent', { to: sent.sent_to, minutes: CODE_TTL_MS / 60_000 }), {
    reply_markup: codeKeyboard(ctx, giveUp),
  });

/** Sends a code and says where; false (the seller told) after too many codes, or when the server refused it. */
async function sendCode<T>(ctx: BotContext, step: CodeStep<T>): Promise<boolean> {
  let sent: CodeSent;
  try {
    sent = await step.send(ctx);
  } catch (error) {
    if (!(error instanceof AppError) || (error.code !== 'rate_limited' && error.code !== 'unavailable')) throw error;
    await ctx.reply(ctx.t(error.code === 'rate_limited' ? 'email-code-too-many' : 'email-code-not-sent'), {
      reply_markup: removeKeyboard,
    });
    return false;
  }
  await announce(ctx, sent, step.giveUp);
  return true;
}

async function takeCode<T>(ctx: BotContext, step: CodeStep<T>, text: string): Promise<Answer<T | null>> {
  const answer = text.trim();
  if (answer === ctx.t(step.giveUp)) return { ok: true, value: null };
  if (answer === ctx.t('email-code-resend')) return (await sendCode(ctx, step)) ? retry : { ok: true, value: null };
  const checked = await step.check(ctx, answer);
  if (checked.ok) return checked;
  const tries = checked.reason === 'wrong' ? checked.triesLeft : 0;
  await ctx.reply(ctx.t(REFUSALS[checked.reason], { tries }), { reply_markup: codeKeyboard(ctx, step.giveUp) });
  return retry;
}

/**
 * Sends a 6-digit code by e-mail and waits for it: a wrong code is asked again (tries left), an
 * expired or spent one offers "Resend" or giving up. Null when the seller gave up or too many
 * codes were sent; the caller says what that means.
 */
export async function askEmailCode<T>(
  conversation: BotConversation,
  clock: Clock,
  step: CodeStep<T>,
  /** A code the caller's own step already sent (a held profile change): announced, not sent again. */
  sent?: CodeSent,
): Promise<T | null> {
  const ready = await conversation.external(async (ctx) =>
    sent ? (await announce(ctx, sent, step.giveUp), true) : sendCode(ctx, step),
  );
  if (!ready) return null;
  return question(
    conversation,
    clock,
    async () => undefined,
    typed((ctx, text) => takeCode(ctx, step, text)),
  );
}
