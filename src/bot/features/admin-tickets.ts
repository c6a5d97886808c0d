import { Composer, InlineKeyboard } from 'grammy';
import type { BotContext } from '../context.ts';
import { cb } from '../keyboards/callback-data.ts';
import { escapeHtml, shorten } from '../reply.ts';
import { actorOf, commandArgs, runAdmin } from './admin.ts';

/** The support inbox: open tickets oldest first with the user's orders, `/reply ID text`, close. */
export const adminTicketsFeature = new Composer<BotContext>();

const SHOWN = 5;

async function showInbox(ctx: BotContext) {
  const open = ctx.services.admin.tickets.open(SHOWN);
  if (open.length === 0) return ctx.reply(ctx.t('admin-tickets-empty'));
  await ctx.reply(ctx.t('admin-tickets-title', { count: open.length }));
  for (const { ticket, orders } of open) {
    const text = ctx.t('admin-ticket', {
      id: ticket.id,
      user: ticket.userId,
      date: new Date(ticket.createdAt).toISOString().slice(0, 16).replace('T', ' '),
      message: escapeHtml(shorten(ticket.message, 1500)),
      orders: orders.length ? orders.map((o) => `${o.id} ${o.status}`).join(', ') : '—',
    });
    const close = new InlineKeyboard().text(
      ctx.t('button-admin-ticket-close', { id: ticket.id }),
      cb.admin.pack({ verb: 'close', arg: String(ticket.id) }),
    );
    await ctx.reply(`${text}\n<i>${ctx.t('admin-ticket-usage', { id: ticket.id })}</i>`, { reply_markup: close });
  }
}

adminTicketsFeature.callbackQuery(cb.admin.pattern, async (ctx, next) => {
  const values = cb.admin.unpack(ctx.callbackQuery.data);
  if (values?.verb === 'tickets') return showInbox(ctx);
  if (values?.verb === 'close' && values.arg && /^\d+$/.test(values.arg)) {
    const id = Number(values.arg);
    await ctx.editMessageReplyMarkup().catch(() => undefined);
    return runAdmin(ctx, async () => {
      ctx.services.admin.tickets.close(actorOf(ctx), id);
      return ctx.t('admin-ticket-closed', { id });
    });
  }
  return next();
});

adminTicketsFeature.command('reply', (ctx) =>
  runAdmin(ctx, async () => {
    const [raw, text] = commandArgs(ctx);
    if (!/^\d+$/.test(raw) || !text) return ctx.t('admin-usage', { usage: '/reply TICKET-ID text' });
    const ticket = await ctx.services.admin.tickets.reply(actorOf(ctx), Number(raw), text);
    return ctx.t('admin-ticket-replied', { id: ticket.id });
  }),
);
