import { Composer, InputFile } from 'grammy';
import { AppError } from '../../lib/errors.ts';
import type { PaymentView } from '../../modules/payments/model.ts';
import type { BotContext } from '../context.ts';
import { formatPrice } from '../format.ts';
import { cb } from '../keyboards/callback-data.ts';
import { currencyKeyboard, currencyLabel, currencyPages, paymentKeyboard } from '../keyboards/buy.ts';
import { onCallback } from '../keyboards/on-callback.ts';
import { paymentCaption, paymentQr, type PaymentScreen } from '../payment-view.ts';
import { escapeHtml, isNotModified, shorten, show } from '../reply.ts';
import { refuse } from './buy-refusal.ts';
import { sendStarsInvoice, starsPayments } from './buy-stars.ts';

/** Payment messages remembered per chat (so the delivery notice can update the right one). */
const REMEMBERED_PAYMENTS = 10;

async function alert(ctx: BotContext, key: string): Promise<void> {
  await ctx.answerCallbackQuery({ text: ctx.t(key), show_alert: true });
}

/** The currency chooser, edited over the product card: common ones first, then pages of the rest. */
async function showCurrencies(ctx: BotContext, productId: string, page: number): Promise<void> {
  const { catalog, payments, orders } = ctx.services;
  if (!payments.enabled()) return alert(ctx, 'buy-crypto-off');
  let product;
  try {
    product = catalog.getProduct(productId);
  } catch (error) {
    return refuse(ctx, error);
  }
  if (orders.owns(ctx.user.id, product.id)) return alert(ctx, 'buy-already-owned');
  let pages: string[][];
  try {
    pages = currencyPages(await payments.currencies());
  } catch (error) {
    return refuse(ctx, error);
  }
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

function titleOf(ctx: BotContext, productId: string): string {
  try {
    return ctx.services.catalog.getProduct(productId).title;
  } catch {
    return productId;
  }
}

/** What the payment message shows now; the deadline is the earlier of the order's window and the provider's quote. */
function screenOf(ctx: BotContext, view: PaymentView, productId: string, orderExpiresAt: number | null): PaymentScreen {
  const quote = view.expires_at === null ? Number.NaN : Date.parse(view.expires_at);
  const candidates = [orderExpiresAt ?? Number.NaN, quote].filter((ms) => !Number.isNaN(ms));
  return {
    view,
    title: titleOf(ctx, productId),
    language: ctx.user.language,
    deadline: candidates.length > 0 ? Math.min(...candidates) : null,
    now: ctx.services.clock.now(),
  };
}

function remember(ctx: BotContext, orderId: string, messageId: number): void {
  const kept = Object.entries(ctx.session.payments ?? {}).filter(([id]) => id !== orderId);
  ctx.session.payments = Object.fromEntries([...kept.slice(-(REMEMBERED_PAYMENTS - 1)), [orderId, messageId]]);
}

/** A currency was chosen: the order and the provider's payment, then the message with its QR code. */
async function startCrypto(ctx: BotContext, productId: string, code: string): Promise<void> {
  const { payments, orders } = ctx.services;
  let view: PaymentView;
  try {
    view = await payments.startCrypto({
      product_id: productId,
      pay_currency: code,
      telegram_user_id: ctx.user.telegramId ?? ctx.from!.id,
    });
  } catch (error) {
    return refuse(ctx, error, code);
  }
  const order = orders.get(view.order_id);
  const screen = screenOf(ctx, view, order.productId, order.expiresAt);
  const caption = paymentCaption(ctx.t, screen);
  const keyboard = paymentKeyboard(ctx.t, view, order.productId);
  // The chooser becomes a one-line note without buttons; the payment itself follows as a new message.
  const note = ctx.t('buy-paying-with', {
    title: escapeHtml(shorten(screen.title, 120)),
    currency: currencyLabel(view.pay_currency),
  });
  await ctx.editMessageText(note, { parse_mode: 'HTML' }).catch(() => undefined);
  const options = { caption, parse_mode: 'HTML' as const, reply_markup: keyboard };
  const sent = view.payment_uri
    ? await ctx.replyWithPhoto(new InputFile(await paymentQr(view.payment_uri), 'payment.png'), options)
    : await ctx.reply(caption, { parse_mode: 'HTML', reply_markup: keyboard });
  remember(ctx, order.id, sent.message_id);
}

/** Edits the pressed payment message (a photo's caption, or a text); false when nothing changed. */
async function editPayment(ctx: BotContext, screen: PaymentScreen, productId: string): Promise<boolean> {
  const caption = paymentCaption(ctx.t, screen);
  const keyboard = paymentKeyboard(ctx.t, screen.view, productId);
  const message = ctx.callbackQuery?.message;
  if (message && message.date !== 0 && 'photo' in message && message.photo) {
    try {
      await ctx.editMessageCaption({ caption, parse_mode: 'HTML', reply_markup: keyboard });
      return true;
    } catch (error) {
      if (isNotModified(error)) return false;
      throw error;
    }
  }
  await show(ctx, caption, keyboard);
  return true;
}

/** "Check status" and "Cancel" of a payment message: only its buyer may use them. */
async function onPaymentButton(ctx: BotContext, action: 'check' | 'cancel', paymentId: string): Promise<void> {
  const { payments, orders } = ctx.services;
  let view: PaymentView;
  try {
    view = await payments.view(paymentId);
  } catch (error) {
    if (error instanceof AppError && error.code === 'not_found') return alert(ctx, 'pay-unknown');
    return refuse(ctx, error);
  }
  let order = orders.get(view.order_id);
  if (order.buyerId !== ctx.user.id) return alert(ctx, 'pay-unknown');
  if (action === 'cancel') {
    try {
      order = orders.cancel(order.id, `user:${ctx.user.id}`);
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'conflict')) throw error;
      await alert(ctx, 'pay-cannot-cancel');
    }
    view = {
      ...view,
      status: order.status,
      missing_amount: order.status === 'partially_paid' ? view.missing_amount : null,
    };
  }
  const changed = await editPayment(ctx, screenOf(ctx, view, order.productId, order.expiresAt), order.productId);
  if (action === 'cancel' && order.status === 'cancelled')
    await ctx.answerCallbackQuery({ text: ctx.t('pay-cancelled') });
  else if (action === 'check' && !changed) await ctx.answerCallbackQuery({ text: ctx.t('pay-unchanged') });
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
buyFeature.use(onCallback(cb.pay, (ctx, { action, id }) => onPaymentButton(ctx, action, id)));
buyFeature.use(starsPayments);
