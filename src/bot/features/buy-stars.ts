import { Composer } from 'grammy';
import type { PreCheckoutRefusal, StarsOutcome } from '../../modules/payments/stars.ts';
import type { BotContext } from '../context.ts';
import { refuse } from './buy-refusal.ts';

/** What the buyer reads in Telegram's payment sheet when the checkout is refused. */
const REFUSALS: Record<PreCheckoutRefusal, string> = {
  unknown_order: 'stars-refused-order',
  wrong_currency: 'stars-refused-order',
  order_not_open: 'stars-refused-order',
  product_inactive: 'stars-refused-product',
  price_changed: 'stars-refused-price',
  already_owned: 'stars-refused-owned',
};

/** The answer to a successful payment; a duplicate (the same charge again) gets none. */
const RECEIVED: Record<StarsOutcome, string | null> = {
  applied: 'stars-paid',
  duplicate: null,
  double_payment: 'stars-double-payment',
  unknown_payment: 'stars-unmatched',
};

/** "Buy with Stars": an invoice in XTR at today's Stars price (the order is made or reused). */
export async function sendStarsInvoice(ctx: BotContext, productId: string): Promise<void> {
  const from = ctx.from!;
  const profile = {
    telegramId: from.id,
    username: from.username,
    firstName: from.first_name,
    languageCode: from.language_code,
  };
  const made = await ctx.services.checkout.starsInvoice(profile, productId);
  if (!made.ok) return refuse(ctx, made.reason);
  const { invoice } = made;
  await ctx.replyWithInvoice(invoice.title, invoice.description, invoice.payload, invoice.currency, invoice.prices, {
    provider_token: invoice.provider_token,
  });
}

/**
 * The two payment updates. Telegram wants the pre-checkout answer within 10 s: the check only
 * reads a few rows. A successful payment is applied once per telegram_payment_charge_id (the
 * order moves to paid, the deliver job is queued in the same transaction).
 */
export const starsPayments = new Composer<BotContext>();

starsPayments.on('pre_checkout_query', async (ctx) => {
  let answer;
  try {
    answer = ctx.services.stars.checkPreCheckout(ctx.preCheckoutQuery);
  } catch (error) {
    // Never leave the buyer's payment sheet spinning: refuse, then let the boundary log it.
    await ctx.answerPreCheckoutQuery(false, { error_message: ctx.t('error-generic') });
    throw error;
  }
  if (answer.ok) await ctx.answerPreCheckoutQuery(true);
  else await ctx.answerPreCheckoutQuery(false, { error_message: ctx.t(REFUSALS[answer.reason]) });
});

starsPayments.on('message:successful_payment', async (ctx) => {
  const { outcome } = ctx.services.stars.applySuccessfulPayment({
    from: ctx.from,
    successful_payment: ctx.message.successful_payment,
  });
  const key = RECEIVED[outcome];
  if (key) await ctx.reply(ctx.t(key));
});
