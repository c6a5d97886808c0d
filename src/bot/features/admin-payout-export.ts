import { Composer, InputFile } from 'grammy';
import type { BotContext } from '../context.ts';
import { cb } from '../keyboards/callback-data.ts';
import { actorOf, commandArgs, runAdmin } from './admin.ts';

/**
 * The payouts of a period as a CSV document: `/payoutscsv [FROM [TO]]` (days YYYY-MM-DD, UTC,
 * both included; the last 30 days by default), or the button under the pending payouts.
 */
export const adminPayoutExportFeature = new Composer<BotContext>();

async function sendCsv(ctx: BotContext, from?: string, to?: string) {
  const { payoutExport } = ctx.services.admin;
  const period = payoutExport.period(from, to);
  const { csv, count } = payoutExport.csv(actorOf(ctx), period);
  await ctx.replyWithDocument(new InputFile(new TextEncoder().encode(csv), `payouts-${period.from}-${period.to}.csv`), {
    caption: ctx.t('admin-payouts-csv', { count, from: period.from, to: period.to }),
  });
  return '';
}

adminPayoutExportFeature.command('payoutscsv', (ctx) =>
  runAdmin(ctx, () => {
    const [from, rest] = commandArgs(ctx);
    return sendCsv(ctx, from || undefined, rest.split(/\s+/)[0] || undefined);
  }),
);

adminPayoutExportFeature.callbackQuery(cb.admin.pattern, async (ctx, next) => {
  if (cb.admin.unpack(ctx.callbackQuery.data)?.verb !== 'pcsv') return next();
  return runAdmin(ctx, () => sendCsv(ctx));
});
