import type { MiddlewareFn } from 'grammy';
import { translate } from '../../locales/index.ts';
import type { BotContext } from '../context.ts';
import { escapeHtml } from '../reply.ts';

/**
 * Payment updates are never dropped: Telegram wants pre_checkout_query answered within 10 s,
 * and a successful_payment is money received, whoever sent it and however fast.
 */
export const isPaymentUpdate = (ctx: BotContext) =>
  ctx.preCheckoutQuery !== undefined ||
  ctx.message?.successful_payment !== undefined ||
  ctx.message?.refunded_payment !== undefined;

/**
 * Banned users get no answer at all, except `/start`, which tells them why (admin: ban); updates
 * without a sender (channel posts...) are not ours.
 */
export const ignoreBanned: MiddlewareFn<BotContext> = async (ctx, next) => {
  if (!ctx.from || ctx.from.is_bot) return;
  const user = isPaymentUpdate(ctx) ? undefined : ctx.services.users.findByTelegramId(ctx.from.id);
  if (user?.banned) {
    if (/^\/start(?:@\w+)?(?:\s|$)/.test(ctx.message?.text ?? '')) {
      await ctx.reply(translate(user.language, 'banned-start', { reason: escapeHtml(user.bannedReason ?? '—') }));
    }
    return;
  }
  await next();
};

/** Creates the user on first contact (language from Telegram's language_code), keeps the name fresh. */
export const upsertUser: MiddlewareFn<BotContext> = async (ctx, next) => {
  const from = ctx.from!;
  ctx.user = ctx.services.users.upsertTelegram({
    telegramId: from.id,
    username: from.username,
    firstName: from.first_name,
    languageCode: from.language_code,
  });
  await next();
};
