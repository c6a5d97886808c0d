import type { MiddlewareFn } from 'grammy';
import type { I18n } from '@grammyjs/i18n';
import type { Clock } from '../../lib/clock.ts';
import type { RateLimiter } from '../../lib/rate-limit.ts';
import type { BotContext } from '../context.ts';
import { isPaymentUpdate } from './users.ts';

export interface BotRateLimitOptions {
  limiter: RateLimiter;
  clock: Clock;
  windowSeconds: number;
  i18n: I18n<BotContext>;
  /** Called for every refused update (e.g. rate_limited_requests_total{scope="bot"}). */
  onLimited?: () => void;
}

/**
 * Per-user limit over every update but payments. The first refused update of a window gets
 * one "slow down"; the rest are dropped silently until the limiter lets the user in again.
 */
export function rateLimit({ limiter, clock, windowSeconds, i18n, onLimited }: BotRateLimitOptions): MiddlewareFn<BotContext> {
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
    const decision = limiter.hit(key);
    const now = clock.now();
    sweep(now);
    if (decision.allowed) {
      told.delete(key);
      return next();
    }
    onLimited?.();
    if (told.has(key)) return;
    told.set(key, now + windowSeconds * 1000);
    const text = i18n.t(ctx.user.language, 'rate-limited', { seconds: decision.retryAfterSeconds });
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text });
    else if (ctx.chat) await ctx.reply(text);
  };
}
