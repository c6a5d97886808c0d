import { Composer, InlineKeyboard } from 'grammy';
import { PRODUCT_ID_PATTERN } from '../../lib/ids.ts';
import { formatSignedMoney } from '../../modules/admin/refunds.ts';
import type { OrderRow } from '../../modules/orders/service.ts';
import type { BotContext } from '../context.ts';
import { cb } from '../keyboards/callback-data.ts';
import { escapeHtml, shorten } from '../reply.ts';
import { actorOf, commandArgs, runAdmin } from './admin.ts';

/**
 * Orders for the operator: `/order ID` (one order, its history, why it is undelivered, and the
 * buttons that fit its state), `/orders WHO` (by course id, or the buyer's Telegram id,
 * @username or e-mail), `/refusepartial ID reason`, and the buttons "deliver again" and "accept
 * the partial payment". The rules are the admin module's order desk.
 */
export const adminOrdersFeature = new Composer<BotContext>();

const LISTED = 10;
const day = (ms: number | null) => (ms === null ? '—' : new Date(ms).toISOString().slice(0, 16).replace('T', ' '));

/** One line of a list: id (tap to copy), state, price, course. */
export const orderLine = (order: OrderRow, title: string) =>
  `<code>${order.id}</code> · ${order.status} · ${formatSignedMoney(order.priceCents, order.currency)} · ${escapeHtml(shorten(title, 40))}`;

/** The buttons an order's state allows: deliver again (paid), accept (partially paid). */
export function orderButtons(ctx: BotContext, order: OrderRow): InlineKeyboard | undefined {
  if (order.status === 'paid')
    return new InlineKeyboard().text(
      ctx.t('button-admin-redeliver'),
      cb.admin.pack({ verb: 'redeliver', arg: order.id }),
    );
  if (order.status === 'partially_paid')
    return new InlineKeyboard().text(
      ctx.t('button-admin-accept-partial'),
      cb.admin.pack({ verb: 'accept', arg: order.id }),
    );
  return undefined;
}

/** What a reason code of an undelivered order reads as, with the job's last error when it died. */
export const whyText = (ctx: BotContext, why: string, error: string | null) =>
  `${ctx.t(`admin-why-${why}`)}${why === 'dead_job' && error ? ` — <i>${escapeHtml(shorten(error, 200))}</i>` : ''}`;

adminOrdersFeature.command('order', (ctx) =>
  runAdmin(ctx, async () => {
    const [id] = commandArgs(ctx);
    if (!id) return ctx.t('admin-usage', { usage: '/order ORDER-ID' });
    const { order, title, buyer, events, undelivered, received } = ctx.services.admin.orders.detail(id);
    const who = [buyer.telegramId, buyer.username && `@${buyer.username}`, buyer.email].filter(Boolean).join(' · ');
    const lines = [
      ctx.t('admin-order', {
        order: order.id,
        title: escapeHtml(title),
        status: order.status,
        method: order.paymentMethod,
        price: formatSignedMoney(order.priceCents, order.currency),
        buyer: escapeHtml(`#${buyer.id} ${who}`),
        created: day(order.createdAt),
        paid: day(order.paidAt),
        delivered: day(order.deliveredAt),
      }),
      events
        .slice(-6)
        .map(
          (e) =>
            `${day(e.createdAt)} ${e.fromStatus ?? '∅'} → ${e.toStatus} · ${escapeHtml(e.actor)}${e.reason ? ` · <i>${escapeHtml(shorten(e.reason, 80))}</i>` : ''}`,
        )
        .join('\n'),
    ];
    if (undelivered)
      lines.push(ctx.t('admin-order-why', { why: whyText(ctx, undelivered.why, undelivered.job?.lastError ?? null) }));
    if (received)
      lines.push(
        ctx.t('admin-order-received', { ...received, asked: received.asked ?? '?', missing: received.missing ?? '?' }),
      );
    if (order.status === 'partially_paid') lines.push(`<i>${ctx.t('admin-partial-usage', { order: order.id })}</i>`);
    await ctx.reply(lines.join('\n\n'), { reply_markup: orderButtons(ctx, order) });
    return '';
  }),
);

adminOrdersFeature.command('orders', (ctx) =>
  runAdmin(ctx, async () => {
    const [who] = commandArgs(ctx);
    if (!who) return ctx.t('admin-usage', { usage: '/orders COURSE-ID | TELEGRAM-ID | @username | e-mail' });
    const product = PRODUCT_ID_PATTERN.test(who.toUpperCase());
    const found = ctx.services.admin.orders.search(
      product
        ? { product_id: who, limit: LISTED }
        : who.toUpperCase().startsWith('ORD-')
          ? { order_id: who }
          : { user: who, limit: LISTED },
    );
    if (found.length === 0) return ctx.t('admin-orders-none', { query: escapeHtml(who) });
    const lines = found.map((order) => orderLine(order, ctx.services.admin.orders.titleOf(order)));
    return [ctx.t('admin-orders-found', { query: escapeHtml(who), count: found.length }), ...lines].join('\n');
  }),
);

adminOrdersFeature.command('refusepartial', (ctx) =>
  runAdmin(ctx, async () => {
    const [id, reason] = commandArgs(ctx);
    if (!id || reason.length < 3) return ctx.t('admin-usage', { usage: '/refusepartial ORDER-ID reason' });
    const order = await ctx.services.admin.orders.refusePartial(actorOf(ctx), id, reason);
    return ctx.t('admin-partial-refused', { order: order.id });
  }),
);

adminOrdersFeature.callbackQuery(cb.admin.pattern, async (ctx, next) => {
  const values = cb.admin.unpack(ctx.callbackQuery.data);
  if ((values?.verb !== 'redeliver' && values?.verb !== 'accept') || !values.arg) return next();
  const id = values.arg;
  await ctx.editMessageReplyMarkup().catch(() => undefined);
  return runAdmin(ctx, async () => {
    if (values.verb === 'accept') {
      const order = ctx.services.admin.orders.acceptPartial(actorOf(ctx), id);
      return ctx.t('admin-partial-accepted', { order: order.id });
    }
    const { order, job_id } = ctx.services.admin.orders.redeliver(actorOf(ctx), id);
    return ctx.t('admin-redelivering', { order: order.id, job: job_id });
  });
});
