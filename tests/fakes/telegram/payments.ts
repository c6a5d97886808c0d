/**
 * Payments in Telegram Stars: sendInvoice (currency XTR, exactly one price, empty provider_token),
 * answerPreCheckoutQuery (the bot must answer within 10 s), refundStarPayment. The pre-checkout
 * queries and successful payments themselves come from simulated users (support/telegram-user.ts).
 */
import { sendToChat } from './chats.ts';
import type { MethodHandler } from './methods.ts';
import { ApiError, TelegramErrors } from './protocol.ts';
import { bad, boolOf, intOf, targetChat, textOf, type FakeState } from './state.ts';

export interface LabeledPrice {
  label: string;
  amount: number;
}

/** What the invoice message does not show but paying it needs. */
export interface InvoiceDetails {
  chat_id: number;
  message_id: number;
  title: string;
  description: string;
  payload: string;
  currency: string;
  prices: LabeledPrice[];
  total_amount: number;
  provider_token: string;
}

export interface PreCheckoutRecord {
  id: string;
  user_id: number;
  invoice: InvoiceDetails;
  /** Set once answered; `expired` when the 10 s passed first. */
  answer?: { ok: boolean; error_message?: string };
  expired: boolean;
}

/** A successful payment, by telegram_payment_charge_id. */
export interface Charge {
  telegram_payment_charge_id: string;
  user_id: number;
  currency: string;
  total_amount: number;
  invoice_payload: string;
  refunded: boolean;
}

export const invoiceKey = (chatId: number, messageId: number) => `${chatId}:${messageId}`;

function pricesOf(value: unknown): LabeledPrice[] {
  const list = Array.isArray(value) ? value : [];
  const prices = list.map((item) => ({
    label: textOf((item as LabeledPrice).label),
    amount: Number((item as LabeledPrice).amount),
  }));
  if (prices.length === 0) throw bad('prices must be non-empty');
  if (prices.some((price) => !Number.isInteger(price.amount) || price.label === '')) throw bad('PRICES_INVALID');
  return prices;
}

function lengthBetween(value: unknown, min: number, max: number, what: string): string {
  const text = textOf(value);
  const size = what === 'payload' ? Buffer.byteLength(text) : text.length;
  if (size < min || size > max) throw bad(`invoice ${what} length must be between ${min} and ${max}`);
  return text;
}

export function recordCharge(state: FakeState, charge: Omit<Charge, 'refunded'>): void {
  state.charges.set(charge.telegram_payment_charge_id, { ...charge, refunded: false });
}

export const paymentMethods: Record<string, MethodHandler> = {
  sendInvoice: (call) => {
    const { state, params } = call;
    const chat = targetChat(state, params);
    const title = lengthBetween(params.title, 1, 32, 'title');
    const description = lengthBetween(params.description, 1, 255, 'description');
    const payload = lengthBetween(params.payload, 1, 128, 'payload');
    const currency = textOf(params.currency).toUpperCase();
    if (!/^[A-Z]{3}$/.test(currency)) throw bad('CURRENCY_INVALID');
    const prices = pricesOf(params.prices);
    const provider_token = textOf(params.provider_token);
    if (currency === 'XTR' && prices.length !== 1) throw bad('STARS_INVOICE_INVALID');
    if (currency !== 'XTR' && provider_token === '') throw bad('PAYMENT_PROVIDER_INVALID');
    const total_amount = prices.reduce((sum, price) => sum + price.amount, 0);
    if (total_amount <= 0) throw bad('CURRENCY_TOTAL_AMOUNT_INVALID');
    const start_parameter = textOf(params.start_parameter);
    const sent = sendToChat(call, chat, { invoice: { title, description, start_parameter, currency, total_amount } });
    state.invoices.set(invoiceKey(chat.id, sent.message_id), {
      chat_id: chat.id,
      message_id: sent.message_id,
      title,
      description,
      payload,
      currency,
      prices,
      total_amount,
      provider_token,
    });
    return sent;
  },

  answerPreCheckoutQuery: ({ state, params }) => {
    const query = state.preCheckoutQueries.get(textOf(params.pre_checkout_query_id));
    if (!query || query.answer || query.expired) throw new ApiError(TelegramErrors.queryInvalid());
    const ok = boolOf(params.ok);
    const error_message = params.error_message === undefined ? undefined : textOf(params.error_message);
    if (!ok && !error_message) throw bad('error_message is empty');
    query.answer = { ok, ...(ok ? {} : { error_message }) };
    state.events.emit({ kind: 'pre-checkout-answer', queryId: query.id, ok, ...(ok ? {} : { error_message }) });
    return true;
  },

  refundStarPayment: ({ state, params }) => {
    const charge = state.charges.get(textOf(params.telegram_payment_charge_id));
    if (!charge || charge.user_id !== intOf(params.user_id, 0)) throw bad('CHARGE_NOT_FOUND');
    if (charge.refunded) throw bad('CHARGE_ALREADY_REFUNDED');
    charge.refunded = true;
    return true;
  },
};
