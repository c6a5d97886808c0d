import { Composer, InlineKeyboard } from 'grammy';
import { AppError } from '../../lib/errors.ts';
import { translate } from '../../locales/index.ts';
import type { PayoutView } from '../../modules/sellers/model.ts';
import type { BotContext } from '../context.ts';
import { formatPrice } from '../format.ts';
import { cb } from '../keyboards/callback-data.ts';
import { onCallback } from '../middleware/on-callback.ts';
import { escapeHtml, show } from '../reply.ts';
import { sellerOf } from './sell.ts';
import { suspendedNotice } from './seller-status.ts';

/** Payouts listed under the balance, newest first. */
const HISTORY_SHOWN = 5;

const money = (ctx: BotContext, cents: number, currency: string) => formatPrice(cents, currency, ctx.user.language);

function historyLine(ctx: BotContext, payout: PayoutView): string {
  const status = ctx.t(`payout-status-${payout.status}`);
  const extra = payout.tx_hash
    ? ` · <code>${escapeHtml(payout.tx_hash)}</code>`
    : payout.reason
      ? ` · ${escapeHtml(payout.reason)}`
      : '';
  return `#${payout.id} · ${money(ctx, payout.amount_cents, payout.currency)} · ${status}${extra}`;
}

/** The payout screen: balance, address, the smallest payout, a request button when possible, history. */
async function showPayout(ctx: BotContext, notice?: string): Promise<void> {
  const seller = sellerOf(ctx);
  if (!seller) return void (await ctx.reply(ctx.t('not-a-seller')));
  const { payouts } = ctx.services.sellers;
  const balance = payouts.balance(seller.id);
  const suspended = seller.status === 'suspended';
  const lines = [...(suspended ? [suspendedNotice(ctx, seller)] : []), ...(notice ? [notice] : [])];
  lines.push(
    ctx.t('payout-title', {
      available: money(ctx, balance.available_cents, balance.currency),
      pending: money(ctx, balance.pending_cents, balance.currency),
      min: money(ctx, balance.payout_min_cents, balance.currency),
      network: seller.payoutNetwork ?? '—',
      address: escapeHtml(seller.payoutAddress ?? '—'),
    }),
  );
  const enough = balance.available_cents >= balance.payout_min_cents;
  if (!enough) lines.push(ctx.t('payout-below-min'));
  const canRequest = enough && !suspended;
  const history = payouts.history(seller.id, HISTORY_SHOWN);
  if (history.length > 0) lines.push([ctx.t('payout-history'), ...history.map((p) => historyLine(ctx, p))].join('\n'));
  const keyboard = new InlineKeyboard();
  if (canRequest)
    keyboard
      .text(
        ctx.t('button-payout-request', { amount: money(ctx, balance.available_cents, balance.currency) }),
        cb.payoutRequest.pack({}),
      )
      .row();
  if (!suspended) keyboard.text(ctx.t('button-payout-change-address'), cb.payoutAddress.pack({}));
  await show(ctx, lines.join('\n\n'), suspended ? undefined : keyboard);
}

/** "Request": reserves the whole available balance, then tells the admins in their language. */
async function requestPayout(ctx: BotContext, adminIds: readonly number[]): Promise<void> {
  const seller = sellerOf(ctx);
  if (!seller) return void (await ctx.reply(ctx.t('not-a-seller')));
  let payout: PayoutView;
  try {
    payout = ctx.services.sellers.payouts.request(seller.id);
  } catch (error) {
    if (!(error instanceof AppError) || (error.code !== 'conflict' && error.code !== 'forbidden')) throw error;
    await ctx.answerCallbackQuery({
      text: error.code === 'forbidden' ? suspendedNotice(ctx, seller) : ctx.t('payout-below-min'),
      show_alert: true,
    });
    return showPayout(ctx);
  }
  const amount = (language: string) => formatPrice(payout.amount_cents, payout.currency, language);
  for (const adminId of adminIds) {
    const language = ctx.services.users.findByTelegramId(adminId)?.language ?? 'en';
    const text = translate(language, 'payout-admin-alert', {
      id: payout.id,
      seller: escapeHtml(seller.displayName),
      amount: amount(language),
      network: payout.network,
      address: escapeHtml(payout.address),
    });
    // An admin who never opened the bot cannot be written to; the payout stands all the same.
    await ctx.api.sendMessage(adminId, text).catch(() => undefined);
  }
  await showPayout(ctx, ctx.t('payout-requested', { id: payout.id, amount: amount(ctx.user.language) }));
}

/** /payout: the seller's balance and payouts; a request reserves the balance and alerts the admins. */
export function payoutFeature({ adminIds }: { adminIds: readonly number[] }) {
  const feature = new Composer<BotContext>();
  feature.command('payout', (ctx) => showPayout(ctx));
  feature.use(onCallback(cb.payoutRequest, (ctx) => requestPayout(ctx, adminIds)));
  return feature;
}
