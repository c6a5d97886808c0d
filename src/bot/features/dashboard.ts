import { Composer, InlineKeyboard, InputFile } from 'grammy';
import { renderChartPng } from '../../lib/chart.ts';
import type { DashboardView } from '../../modules/sellers/dashboard.ts';
import type { BotContext } from '../context.ts';
import { formatPrice } from '../format.ts';
import { cb } from '../keyboards/callback-data.ts';
import { onCallback } from '../middleware/on-callback.ts';
import { escapeHtml, shorten } from '../reply.ts';
import { sellerOf } from './sell.ts';

const TOP_TITLE_MAX = 40;

function dashboardText(ctx: BotContext, view: DashboardView): string {
  const { currency } = view.balance;
  const money = (cents: number) => formatPrice(cents, currency, ctx.user.language);
  const line = (key: string, f: DashboardView['today']) =>
    ctx.t(key, { sales: f.sales, revenue: money(f.revenue_cents), fee: money(f.fee_cents), net: money(f.net_cents) });
  const lines = [
    ctx.t('dashboard-title'),
    [
      line('dashboard-today', view.today),
      line('dashboard-7-days', view.last_7_days),
      line('dashboard-30-days', view.last_30_days),
      line('dashboard-all-time', view.all_time),
    ].join('\n'),
    ctx.t('dashboard-balance', {
      available: money(view.balance.available_cents),
      pending: money(view.balance.pending_cents),
      paid: money(view.balance.paid_out_cents),
    }),
    ctx.t('dashboard-rating', { average: view.rating.average, count: view.rating.count }),
  ];
  if (view.top.length > 0) {
    const top = view.top.map(
      (t, i) => `${i + 1}. ${escapeHtml(shorten(t.title, TOP_TITLE_MAX))} · ${t.sales} · ${money(t.revenue_cents)}`,
    );
    lines.push([ctx.t('dashboard-top'), ...top].join('\n'));
  }
  return lines.join('\n\n');
}

/** /dashboard: the figures, then the 30-day chart as a photo, with the CSV export button. */
async function showDashboard(ctx: BotContext): Promise<void> {
  const seller = sellerOf(ctx);
  if (!seller) return void (await ctx.reply(ctx.t('not-a-seller')));
  const { dashboard } = ctx.services.sellers;
  const view = dashboard.dashboard(seller.id);
  await ctx.reply(dashboardText(ctx, view));
  const days = dashboard.chartDays(seller.id);
  const png = await renderChartPng({
    title: ctx.t('dashboard-chart-title'),
    countLabel: ctx.t('dashboard-chart-sales'),
    amountLabel: ctx.t('dashboard-chart-revenue', { currency: view.balance.currency }),
    days: days.map((d) => ({
      label: `${d.day.slice(8, 10)}/${d.day.slice(5, 7)}`,
      count: d.sales,
      amount: d.revenueCents / 100,
    })),
    locale: ctx.user.language,
  });
  await ctx.replyWithPhoto(new InputFile(png, 'dashboard.png'), {
    caption: ctx.t('dashboard-chart-caption'),
    reply_markup: new InlineKeyboard().text(ctx.t('button-sales-csv'), cb.salesCsv.pack({})),
  });
}

async function sendCsv(ctx: BotContext): Promise<void> {
  const seller = sellerOf(ctx);
  if (!seller) return void (await ctx.reply(ctx.t('not-a-seller')));
  const csv = ctx.services.sellers.dashboard.salesCsv(seller.id);
  await ctx.replyWithDocument(new InputFile(new TextEncoder().encode(csv), 'sales.csv'));
}

export const dashboardFeature = new Composer<BotContext>();
dashboardFeature.command('dashboard', showDashboard);
dashboardFeature.use(onCallback(cb.dashboard, showDashboard));
dashboardFeature.use(onCallback(cb.salesCsv, sendCsv));
