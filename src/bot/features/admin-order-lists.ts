import { Composer, InlineKeyboard } from 'grammy';
import type { BotContext } from '../context.ts';
import { cb } from '../keyboards/callback-data.ts';
import { escapeHtml, shorten, show } from '../reply.ts';
import { actorOf, runAdmin } from './admin.ts';
import { orderButtons, orderLine, whyText } from './admin-orders.ts';

/**
 * The operator's order lists from /admin → 📦 Orders: paid orders not delivered (with why, and
 * "deliver again"), partially paid orders (accept, or /refusepartial with a reason), and flagged
 * payment events ("mark handled"). Each item is its own message, its buttons beside it.
 */
export const adminOrderListsFeature = new Composer<BotContext>();

const SHOWN = 5;
/** Counted up to this on the Orders screen and shown as "100+" past it: the operator needs "many", not the exact total. */
const COUNTED = 100;

const capped = (count: number) => (count >= COUNTED ? `${COUNTED}+` : count);

const button = (
  ctx: BotContext,
  key: string,
  verb: 'undeliv' | 'partials' | 'flagged' | 'menu',
  count: number | string = 0,
) => [ctx.t(key, { count }), cb.admin.pack({ verb, arg: undefined })] as const;

async function ordersScreen(ctx: BotContext) {
  const { orders, paymentFlags } = ctx.services.admin;
  const counted = orders.counts(COUNTED);
  const keyboard = new InlineKeyboard()
    .text(...button(ctx, 'button-admin-undelivered', 'undeliv', capped(counted.undelivered)))
    .row()
    .text(...button(ctx, 'button-admin-partials', 'partials', capped(counted.partials)))
    .row()
    .text(...button(ctx, 'button-admin-flagged', 'flagged', paymentFlags.openCount()))
    .row()
    .text(...button(ctx, 'button-admin-menu', 'menu'));
  return show(ctx, ctx.t('admin-orders-screen'), keyboard);
}

async function undelivered(ctx: BotContext) {
  const items = ctx.services.admin.orders.undelivered(SHOWN);
  if (items.length === 0) return ctx.reply(ctx.t('admin-undelivered-empty'));
  for (const { order, title, why, last_error } of items) {
    const text = `${orderLine(order, title)}\n${whyText(ctx, why, last_error)}`;
    await ctx.reply(text, { reply_markup: orderButtons(ctx, order) });
  }
}

async function partials(ctx: BotContext) {
  const items = ctx.services.admin.orders.partials(SHOWN);
  if (items.length === 0) return ctx.reply(ctx.t('admin-partials-empty'));
  for (const { order, title, received } of items) {
    const got = received
      ? ctx.t('admin-order-received', { ...received, asked: received.asked ?? '?', missing: received.missing ?? '?' })
      : '';
    const usage = `<i>${ctx.t('admin-partial-usage', { order: order.id })}</i>`;
    await ctx.reply([orderLine(order, title), got, usage].filter(Boolean).join('\n'), {
      reply_markup: orderButtons(ctx, order),
    });
  }
}

async function flagged(ctx: BotContext) {
  const events = ctx.services.admin.paymentFlags.list('open', SHOWN);
  if (events.length === 0) return ctx.reply(ctx.t('admin-flagged-empty'));
  for (const e of events) {
    const text = ctx.t('admin-flagged', {
      id: e.id,
      flag: e.flag,
      payment: escapeHtml(e.payment_id),
      order: e.order_id ?? '—',
      status: escapeHtml(e.status),
      date: e.received_at.slice(0, 16).replace('T', ' '),
      reason: escapeHtml(shorten(e.reason ?? '—', 200)),
    });
    const buttons = new InlineKeyboard();
    if (e.refundable_stars !== null)
      buttons
        .text(
          ctx.t('button-admin-stars-back', { id: e.id, stars: e.refundable_stars }),
          cb.admin.pack({ verb: 'starsback', arg: String(e.id) }),
        )
        .row();
    buttons.text(ctx.t('button-admin-handled', { id: e.id }), cb.admin.pack({ verb: 'handled', arg: String(e.id) }));
    await ctx.reply(text, { reply_markup: buttons });
  }
}

adminOrderListsFeature.callbackQuery(cb.admin.pattern, async (ctx, next) => {
  const values = cb.admin.unpack(ctx.callbackQuery.data);
  if (values?.verb === 'orders') return ordersScreen(ctx);
  if (values?.verb === 'undeliv') return undelivered(ctx);
  if (values?.verb === 'partials') return partials(ctx);
  if (values?.verb === 'flagged') return flagged(ctx);
  if ((values?.verb !== 'handled' && values?.verb !== 'starsback') || !/^\d+$/.test(values.arg ?? '')) return next();
  const id = Number(values.arg);
  const flags = ctx.services.admin.paymentFlags;
  await ctx.editMessageReplyMarkup().catch(() => undefined);
  if (values.verb === 'handled')
    return runAdmin(ctx, async () => {
      flags.markHandled(actorOf(ctx), id);
      return ctx.t('admin-flagged-handled', { id });
    });
  return runAdmin(ctx, async () => {
    const given = await flags.refundStars(actorOf(ctx), id);
    return ctx.t('admin-stars-given-back', { id, stars: given.stars });
  });
});
