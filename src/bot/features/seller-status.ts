import { Composer } from 'grammy';
import type { SellerRow } from '../../modules/sellers/service.ts';
import type { BotContext } from '../context.ts';
import { cb } from '../keyboards/callback-data.ts';
import { escapeHtml } from '../reply.ts';
import { sellerOf } from './sell.ts';

/** What a suspended seller is told, with the operator's reason, in their language. */
export const suspendedNotice = (ctx: BotContext, seller: SellerRow) =>
  ctx.t('seller-suspended-notice', { reason: escapeHtml(seller.suspendedReason ?? '—') });

/** True (and the seller told why) when the seller is suspended. */
export async function refuseSuspended(ctx: BotContext, seller: SellerRow): Promise<boolean> {
  if (seller.status !== 'suspended') return false;
  if (ctx.callbackQuery) await ctx.answerCallbackQuery();
  await ctx.reply(suspendedNotice(ctx, seller));
  return true;
}

/**
 * Before the seller's features: a suspended seller who asks to publish a course is told that
 * the account is suspended and why, instead of a bare refusal. (/sell and /payout show their
 * screen with the same notice on top; a payout request is refused by the sellers module.)
 */
export const sellerStatusGate = new Composer<BotContext>();
sellerStatusGate.command('newcourse', async (ctx, next) => {
  const seller = sellerOf(ctx);
  if (seller && (await refuseSuspended(ctx, seller))) return;
  await next();
});
sellerStatusGate.callbackQuery(cb.payoutRequest.pattern, async (ctx, next) => {
  const seller = sellerOf(ctx);
  if (seller && (await refuseSuspended(ctx, seller))) return;
  await next();
});
