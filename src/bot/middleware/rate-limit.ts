import type { MiddlewareFn } from 'grammy';
import type { Clock } from '../../lib/clock.ts';
import type { Limiter } from '../../lib/rate-limit.ts';
import { translate } from '../../locales/index.ts';
import type { BotContext } from '../context.ts';
import { budgetOf } from '../keyboards/callback-data.ts';
import { isPaymentUpdate } from './users.ts';

export interface BotRateLimitOptions {
  /** Typed messages and the buttons that act (buy, pay, download, rate). */
  limiter: Limiter;
  /** Browsing buttons (lists, cards, menus): a budget of their own. */
  buttonLimiter: Limiter;
  clock: Clock;
  windowSeconds: number;
  /** Called for every refused update with the limiter's name (rate_limited_requests_total{scope}). */
  onLimited?: (scope: string) => void;
}

/**
 * Per-user limits over every update but payments. A refused button press is always answered,
 * with the slow-down text as an alert (an unanswered press leaves the buyer a spinner). A
 * refused message gets one "slow down" per window; the rest are dropped silently until the
 * limiter lets the user in again.
 */
export function rateLimit({
  limiter,
  buttonLimiter,
  clock,
  windowSeconds,
  onLimited,
}: BotRateLimitOptions): MiddlewareFn<BotContext> {
  /** user -> until when they have been told; insertion order is deadline order (fixed window length). */
  const told = new Map<string, number>();

  function sweep(now: number) {
    for (const [key, until] of told) {
      if (until > now) break;
      told.delete(key);
    }
  }

  return async (ctx, next) => {
    if (isPaymentUpdate(ctx)) return next();
    const key = String(ctx.from!.id);
    const press = ctx.callbackQuery;
    const counting = press && budgetOf(press.data) === 'browse' ? buttonLimiter : limiter;
    const decision = await counting.hit(key);
    const now = clock.now();
    sweep(now);
    if (decision.allowed) {
      if (!press) told.delete(key);
      return next();
    }
    onLimited?.(counting.name);
    if (press) {
      const text = translate(ctx.user.language, 'rate-limited-buttons', { seconds: decision.retryAfterSeconds });
      // A press too old to answer (the update waited in a queue) is no error to apologise for.
      await ctx.answerCallbackQuery({ text, show_alert: true }).catch(() => undefined);
      return;
    }
    if (told.has(key)) return;
    told.set(key, now + windowSeconds * 1000);
    if (ctx.chat)
      await ctx.reply(translate(ctx.user.language, 'rate-limited', { seconds: decision.retryAfterSeconds }));
  };
}
