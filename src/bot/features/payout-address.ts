import { Composer, type Context } from 'grammy';
import type { Clock } from '../../lib/clock.ts';
import { AppError } from '../../lib/errors.ts';
import type { Network } from '../../lib/crypto-address.ts';
import type { CodeSent } from '../../modules/sellers/email-codes.ts';
import type { ProfileChange } from '../../modules/sellers/service.ts';
import type { BotContext } from '../context.ts';
import { cb } from '../keyboards/callback-data.ts';
import { removeKeyboard } from '../keyboards/sell.ts';
import type { BotConversation } from '../middleware/conversations.ts';
import { onCallback } from '../middleware/on-callback.ts';
import { escapeHtml } from '../reply.ts';
import { askEmailCode } from './email-code.ts';
import { refuseSuspended } from './seller-status.ts';
import { askPayoutAddress, sellerOf } from './sell.ts';

export const PAYOUT_ADDRESS = 'payout-address';

type Outcome = { status: 'applied' } | { status: 'held'; sent: CodeSent } | { status: 'refused' };

async function changed(ctx: BotContext, change: ProfileChange): Promise<void> {
  const { payout_network: network, payout_address: address } = change.seller;
  await ctx.reply(ctx.t('payout-address-changed', { network: network ?? '—', address: escapeHtml(address ?? '—') }), {
    reply_markup: removeKeyboard,
  });
}

/** Applies the new address, or holds it until the e-mail code when the seller's e-mail is verified. */
async function submit(ctx: BotContext, network: Network, address: string): Promise<Outcome> {
  const seller = sellerOf(ctx);
  if (!seller) {
    await ctx.reply(ctx.t('not-a-seller'));
    return { status: 'refused' };
  }
  let change: ProfileChange;
  try {
    change = await ctx.services.sellers.profiles.update(seller.id, {
      payout_network: network,
      payout_address: address,
    });
  } catch (error) {
    if (!(error instanceof AppError) || (error.code !== 'rate_limited' && error.code !== 'unavailable')) throw error;
    await ctx.reply(ctx.t(error.code === 'rate_limited' ? 'email-code-too-many' : 'email-code-not-sent'), {
      reply_markup: removeKeyboard,
    });
    return { status: 'refused' };
  }
  if (change.status === 'applied') {
    await changed(ctx, change);
    return { status: 'applied' };
  }
  await ctx.reply(ctx.t('payout-address-confirm'));
  return { status: 'held', sent: change.verification! };
}

/** The payout address: network, address (checked per network), then the e-mail code when one is verified. */
export function payoutAddressConversation(clock: Clock) {
  return async (conversation: BotConversation, _ctx: Context) => {
    const { network, address } = await askPayoutAddress(conversation, clock, 'payout-address-ask-network');
    const outcome = await conversation.external((ctx) => submit(ctx, network, address));
    if (outcome.status !== 'held') return;
    const confirmed = await askEmailCode(
      conversation,
      clock,
      {
        // A new code: the same change asked again (it is held again, with a fresh code).
        send: async (ctx) => {
          const again = await ctx.services.sellers.profiles.update(sellerOf(ctx)!.id, {
            payout_network: network,
            payout_address: address,
          });
          if (!again.verification) throw new AppError('unavailable', 'no code to send');
          return again.verification;
        },
        check: async (ctx, typed) => {
          const result = await ctx.services.sellers.profiles.confirm(sellerOf(ctx)!.id, typed);
          return result.ok ? { ok: true, value: result.change } : result;
        },
        giveUp: 'email-code-cancel',
      },
      outcome.sent,
    );
    await conversation.external(async (ctx) => {
      if (confirmed) await changed(ctx, confirmed);
      else await ctx.reply(ctx.t('payout-address-unchanged'), { reply_markup: removeKeyboard });
    });
  };
}

async function startChange(ctx: BotContext): Promise<void> {
  const seller = sellerOf(ctx);
  if (!seller) return void (await ctx.reply(ctx.t('not-a-seller')));
  if (await refuseSuspended(ctx, seller)) return;
  await ctx.conversation.enter(PAYOUT_ADDRESS);
}

/** "Change the payout address" on the /payout screen. */
export const payoutAddressFeature = new Composer<BotContext>();
payoutAddressFeature.use(onCallback(cb.payoutAddress, startChange));
