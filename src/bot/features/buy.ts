import { Composer, InputFile } from 'grammy';
import type { BuyerPayment } from '../../modules/payments/checkout.ts';
import type { BotContext } from '../context.ts';
import { formatPrice } from '../format.ts';
import { cb } from '../keyboards/callback-data.ts';
import { currencyKeyboard, currencyLabel, currencyPages, paymentKeyboard } from '../keyboards/buy.ts';
import { onCallback } from '../middleware/on-callback.ts';
import { paymentCaption, paymentQr } from '../payment-view.ts';
import { escapeHtml, isNotModified, shorten, show } from '../reply.ts';
import { refuse } from './buy-refusal.ts';
import { sendStarsInvoice, starsPayments } from './buy-stars.ts';

/** Payment messages remembered per chat (so the delivery notice can update the right one). */
const REMEMBERED_PAYMENTS = 10;

/** The currency chooser, edited over the product card: common ones first, then pages of the rest. */
async function showCurrencies(ctx: BotContext, productId: string, page: number): Promise<void> {
  const offer = await ctx.services.checkout.currencies(ctx.user.id, productId);
  if (!offer.ok) return refuse(ctx, offer.reason);
  const { product } = offer;
  const pages = currencyPages(offer.currencies);
  const shown = Math.min(page, pages.length - 1);
  const args = {
    title: escapeHtml(shorten(product.title, 120)),
    price: formatPrice(product.price_cents, product.currency, ctx.user.language),
  };
  const text =
    shown === 0
      ? ctx.t('buy-choose-currency', args)
      : ctx.t('buy-all-currencies', { ...args, page: shown, pages: pages.length - 1 });
  await show(ctx, text, currencyKeyboard(ctx, product.id, pages, shown));
}

function remember(ctx: BotContext, orderId: string, messageId: number): void {
  const kept = Object.entries(ctx.session.payments ?? {}).filter(([id]) => id !== orderId);
  ctx.session.payments = Object.fromEntries([...kept.slice(-(REMEMBERED_PAYMENTS - 1)), [orderId, messageId]]);
}

const screen = (ctx: BotContext, payment: BuyerPayment) => ({ ...payment, language: ctx.user.language });

/** A currency was chosen: the order and the provider's payment, then the message with its QR code. */
async function startCrypto(ctx: BotContext, productId: string, code: string): Promise<void> {
  const started = await ctx.services.checkout.startCrypto(ctx.user.telegramId ?? ctx.from!.id, productId, code);
  if (!started.ok) return refuse(ctx, started.reason, code);
  const { payment } = started;
  const { view } = payment;
  const caption = paymentCaption(ctx.t, screen(ctx, payment));
  const keyboard = paymentKeyboard(ctx.t, view, payment.productId);
  // The chooser becomes a one-line note without buttons; the payment itself follows as a new message.
  const note = ctx.t('buy-paying-with', {
    title: escapeHtml(shorten(payment.title, 120)),
    currency: currencyLabel(view.pay_currency),
  });
  await ctx.editMessageText(note).catch(() => undefined);
  const sent = view.payment_uri
    ? await ctx.replyWithPhoto(new InputFile(paymentQr(view.payment_uri), 'payment.png'), {
        caption,
        reply_markup: keyboard,
      })
    : await ctx.reply(caption, { reply_markup: keyboard });
  remember(ctx, view.order_id, sent.message_id);
}

/** Edits the pressed payment message (a photo's caption, or a text); false when nothing changed. */
async function editPayment(ctx: BotContext, payment: BuyerPayment): Promise<boolean> {
  const caption = paymentCaption(ctx.t, screen(ctx, payment));
  const keyboard = paymentKeyboard(ctx.t, payment.view, payment.productId);
  const message = ctx.callbackQuery?.message;
  if (message && message.date !== 0 && 'photo' in message && message.photo) {
    try {
      await ctx.editMessageCaption({ caption, reply_markup: keyboard });
      return true;
    } catch (error) {
      if (isNotModified(error)) return false;
      throw error;
    }
  }
  await show(ctx, caption, keyboard);
  return true;
}

/** "Check status" of a payment message (the checkout answers only its buyer). */
async function check(ctx: BotContext, paymentId: string): Promise<void> {
  const checked = await ctx.services.checkout.check(ctx.user.id, paymentId);
  if (!checked.ok) return refuse(ctx, checked.reason);
  if (!(await editPayment(ctx, checked.payment))) await ctx.answerCallbackQuery({ text: ctx.t('pay-unchanged') });
}

/** "Cancel": the order is cancelled unless it moved on meanwhile; the message shows where it stands. */
async function cancel(ctx: BotContext, paymentId: string): Promise<void> {
  const cancelled = await ctx.services.checkout.cancel(ctx.user.id, paymentId);
  if (!cancelled.ok) return refuse(ctx, cancelled.reason);
  if (!cancelled.cancelled) await ctx.answerCallbackQuery({ text: ctx.t('pay-cannot-cancel'), show_alert: true });
  await editPayment(ctx, cancelled.payment);
  if (cancelled.cancelled) await ctx.answerCallbackQuery({ text: ctx.t('pay-cancelled') });
}

/**
 * Buying: "Buy with crypto" -> a currency -> a payment message (amount, address, countdown, QR
 * code) with "check status" and "cancel"; "Buy with Stars" -> features/buy-stars.ts.
 */
export const buyFeature = new Composer<BotContext>();

buyFeature.use(
  onCallback(cb.buy, async (ctx, { method, id }) => {
    if (method === 'crypto') return showCurrencies(ctx, id, 0);
    await sendStarsInvoice(ctx, id);
  }),
);
buyFeature.use(onCallback(cb.coins, (ctx, { id, page }) => showCurrencies(ctx, id, page)));
buyFeature.use(onCallback(cb.coin, (ctx, { id, code }) => startCrypto(ctx, id, code)));
buyFeature.use(onCallback(cb.pay, (ctx, { action, id }) => (action === 'check' ? check(ctx, id) : cancel(ctx, id))));
buyFeature.use(starsPayments);
