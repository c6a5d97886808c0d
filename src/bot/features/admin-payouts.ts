import { Composer, InlineKeyboard } from 'grammy';
import { formatSignedMoney } from '../../modules/admin/refunds.ts';
import type { BotContext } from '../context.ts';
import { cb } from '../keyboards/callback-data.ts';
import { escapeHtml } from '../reply.ts';
import { actorOf, commandArgs, runAdmin } from './admin.ts';

/**
 * Payouts for the operator: the pending queue (address in <code>, tap to copy), `/paid ID HASH`
 * (the hash is checked for the payout's network) and `/rejectpayout ID reason`.
 */
export const adminPayoutsFeature = new Composer<BotContext>();

adminPayoutsFeature.callbackQuery(cb.admin.pattern, async (ctx, next) => {
  if (cb.admin.unpack(ctx.callbackQuery.data)?.verb !== 'payouts') return next();
  const pending = ctx.services.admin.payouts.pending(20);
  // The CSV export of the last 30 days (features/admin-payout-export.ts).
  const reply_markup = new InlineKeyboard().text(
    ctx.t('button-admin-payouts-csv'),
    cb.admin.pack({ verb: 'pcsv', arg: undefined }),
  );
  if (pending.length === 0) return ctx.reply(ctx.t('admin-payouts-empty'), { reply_markup });
  const lines = pending.map((p) =>
    ctx.t('admin-payout', {
      id: p.id,
      seller: `${escapeHtml(p.seller_name)} (#${p.seller_id})`,
      amount: formatSignedMoney(p.amount_cents, p.currency),
      network: p.network,
      address: escapeHtml(p.address),
    }),
  );
  await ctx.reply([ctx.t('admin-payouts-title', { count: pending.length }), ...lines].join('\n\n'), { reply_markup });
});

adminPayoutsFeature.command('paid', (ctx) =>
  runAdmin(ctx, async () => {
    const [raw, hash] = commandArgs(ctx);
    if (!/^\d+$/.test(raw) || !hash) return ctx.t('admin-usage', { usage: '/paid PAYOUT-ID TX-HASH' });
    const payout = await ctx.services.admin.payouts.markPaid(actorOf(ctx), Number(raw), hash);
    return ctx.t('admin-payout-paid', { id: payout.id });
  }),
);

adminPayoutsFeature.command('rejectpayout', (ctx) =>
  runAdmin(ctx, async () => {
    const [raw, reason] = commandArgs(ctx);
    if (!/^\d+$/.test(raw) || !reason) return ctx.t('admin-usage', { usage: '/rejectpayout PAYOUT-ID reason' });
    const payout = await ctx.services.admin.payouts.reject(actorOf(ctx), Number(raw), reason);
    return ctx.t('admin-payout-rejected', { id: payout.id });
  }),
);
