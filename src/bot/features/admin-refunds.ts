import { Composer, InlineKeyboard } from 'grammy';
import type { BotContext } from '../context.ts';
import { cb } from '../keyboards/callback-data.ts';
import { formatSignedMoney } from '../../modules/admin/refunds.ts';
import { escapeHtml } from '../reply.ts';
import { actorOf, commandArgs, runAdmin } from './admin.ts';

/**
 * `/refund ORDER note` shows the order and a confirmation button; the note waits in the session
 * for that button. Stars are given back through Telegram; crypto is marked refunded with the note.
 */
export const adminRefundsFeature = new Composer<BotContext>();

adminRefundsFeature.command('refund', (ctx) =>
  runAdmin(ctx, async () => {
    const [orderId, note] = commandArgs(ctx);
    if (!orderId) return ctx.t('admin-usage', { usage: '/refund ORDER-ID note' });
    const { order, title, price } = ctx.services.admin.refunds.preview(orderId);
    ctx.session.adminRefund = { orderId: order.id, note };
    const confirm = new InlineKeyboard().text(
      ctx.t('button-admin-refund-confirm'),
      cb.admin.pack({ verb: 'refund', arg: order.id }),
    );
    await ctx.reply(
      ctx.t('admin-refund-confirm', {
        order: order.id,
        title: escapeHtml(title),
        price,
        method: order.paymentMethod,
        status: order.status,
        note: escapeHtml(note || '—'),
      }),
      { reply_markup: confirm },
    );
    return '';
  }),
);

adminRefundsFeature.callbackQuery(cb.admin.pattern, async (ctx, next) => {
  const values = cb.admin.unpack(ctx.callbackQuery.data);
  if (values?.verb !== 'refund' || !values.arg) return next();
  const pending = ctx.session.adminRefund;
  if (pending?.orderId !== values.arg) return ctx.reply(ctx.t('admin-refund-expired'));
  ctx.session.adminRefund = undefined;
  await ctx.editMessageReplyMarkup().catch(() => undefined);
  await runAdmin(ctx, async () => {
    const result = await ctx.services.admin.refunds.refund(actorOf(ctx), {
      order_id: pending.orderId,
      note: pending.note || undefined,
    });
    return ctx.t('admin-refund-done', {
      order: result.order_id,
      balance: formatSignedMoney(result.seller_balance_cents, result.currency),
    });
  });
});
