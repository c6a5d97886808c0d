import type { PurchaseRefusal } from '../../modules/payments/refusal.ts';
import type { BotContext } from '../context.ts';
import { currencyLabel } from '../keyboards/buy.ts';

/** What the buyer reads for each refusal of the payments module. */
const REFUSALS: Record<PurchaseRefusal, string> = {
  crypto_off: 'buy-crypto-off',
  unavailable: 'buy-unavailable',
  already_owned: 'buy-already-owned',
  product_gone: 'product-gone',
  below_minimum: 'buy-below-minimum',
  currency_refused: 'buy-currency-refused',
  unknown_payment: 'pay-unknown',
};

/** Tells the buyer why a purchase cannot go on: an alert on the button they pressed, else a message. */
export async function refuse(ctx: BotContext, reason: PurchaseRefusal, currency?: string): Promise<void> {
  const text = ctx.t(REFUSALS[reason], currency ? { currency: currencyLabel(currency) } : undefined);
  if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text, show_alert: true });
  else await ctx.reply(text);
}
