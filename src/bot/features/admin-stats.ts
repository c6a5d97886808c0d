import { Composer, InlineKeyboard, InputFile } from 'grammy';
import { renderChartPng } from '../../lib/chart.ts';
import { formatSignedMoney } from '../../modules/admin/refunds.ts';
import { PERIODS, type Period } from '../../modules/admin/stats.ts';
import type { BotContext } from '../context.ts';
import { cb } from '../keyboards/callback-data.ts';
import { escapeHtml, shorten, show } from '../reply.ts';

/** The operator's dashboard: a period's figures, the period buttons, and the 30-day chart. */
export const adminStatsFeature = new Composer<BotContext>();

const CURRENCY = 'USD';

function statsText(ctx: BotContext, period: Period): string {
  const s = ctx.services.admin.stats.stats(period);
  const money = (cents: number) => formatSignedMoney(cents, CURRENCY);
  const list = (items: string[]) => (items.length ? items.join(', ') : '—');
  const payouts = ctx.t('admin-stats-payouts', {
    count: s.pending_payouts.count,
    amount: formatSignedMoney(s.pending_payouts.amount_cents, s.pending_payouts.currency),
  });
  const figures = ctx.t('admin-stats', {
    period,
    created: s.orders_created,
    paid: s.orders_paid,
    conversion: `${(s.conversion * 100).toFixed(1)} %`,
    states: list(Object.entries(s.orders_by_status).map(([state, n]) => `${state} ${n}`)),
    revenue: money(s.revenue_cents),
    fees: money(s.fee_cents),
    users: s.new_users,
    sellers: s.new_sellers,
    tickets: s.open_tickets,
    dead: s.dead_jobs,
    flagged: s.flagged_payments,
    courses: list(s.top_courses.map((c) => `${escapeHtml(shorten(c.title, 30))} (${c.sales})`)),
    topsellers: list(s.top_sellers.map((x) => `#${x.id} (${x.sales})`)),
  });
  return `${figures}\n${payouts}`;
}

const periodKeyboard = (ctx: BotContext) => {
  const keyboard = new InlineKeyboard();
  for (const period of PERIODS) keyboard.text(period, cb.admin.pack({ verb: 'stats', arg: period }));
  return keyboard
    .row()
    .text(ctx.t('button-admin-chart'), cb.admin.pack({ verb: 'chart', arg: undefined }))
    .text(ctx.t('button-admin-menu'), cb.admin.pack({ verb: 'menu', arg: undefined }));
};

adminStatsFeature.callbackQuery(cb.admin.pattern, async (ctx, next) => {
  const values = cb.admin.unpack(ctx.callbackQuery.data);
  if (values?.verb === 'stats') {
    const period = (PERIODS as readonly string[]).includes(values.arg ?? '') ? (values.arg as Period) : 'today';
    return show(ctx, statsText(ctx, period), periodKeyboard(ctx));
  }
  if (values?.verb === 'chart') {
    const days = ctx.services.admin.stats.stats('30d').daily;
    const png = await renderChartPng({
      title: ctx.t('admin-stats-chart-title'),
      countLabel: ctx.t('admin-stats-chart-count'),
      amountLabel: `${ctx.t('admin-stats-chart-amount')} (${CURRENCY})`,
      days: days.map((d) => ({
        label: `${d.day.slice(8, 10)}/${d.day.slice(5, 7)}`,
        count: d.sales,
        amount: d.revenue_cents / 100,
      })),
      locale: ctx.user.language,
    });
    return ctx.replyWithPhoto(new InputFile(png, 'stats-30d.png'));
  }
  return next();
});
