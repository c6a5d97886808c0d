import { AppError } from '../../lib/errors.ts';
import { HttpError, UncertainOutcomeError, UpstreamNetworkError, UpstreamTimeoutError } from '../../lib/http-client.ts';

/**
 * Why a purchase cannot go on, in words a buyer can be told (the bot turns each into a message
 * in the buyer's language, as it does for Stars' PreCheckoutRefusal):
 * - `crypto_off`: no NOWPAYMENTS_API_KEY on this marketplace;
 * - `unavailable`: the provider is down, too slow, or its circuit breaker is open;
 * - `already_owned`: the buyer owns the course already;
 * - `product_gone`: the course was deleted or taken off sale;
 * - `below_minimum`: the price is under the smallest payment in the chosen currency;
 * - `currency_refused`: the provider will not take the chosen currency for this payment;
 * - `unknown_payment`: no such payment, or not this buyer's.
 */
export type PurchaseRefusal =
  | 'crypto_off'
  | 'unavailable'
  | 'already_owned'
  | 'product_gone'
  | 'below_minimum'
  | 'currency_refused'
  | 'unknown_payment';

export type Refusable<T> = ({ ok: true } & T) | { ok: false; reason: PurchaseRefusal };

/**
 * The refusal an error of the purchase path stands for; undefined when it is not the buyer's
 * problem (a bug: the caller rethrows it). `currency` is set when a currency was chosen: only
 * then can the provider refuse the currency or its minimum.
 */
export function refusalOf(error: unknown, currency?: string): PurchaseRefusal | undefined {
  const down =
    error instanceof UpstreamNetworkError ||
    error instanceof UpstreamTimeoutError ||
    error instanceof UncertainOutcomeError ||
    (error instanceof HttpError && error.status >= 500);
  // AppError 'unavailable' covers an open circuit breaker (CircuitOpenError) and a provider that does not answer.
  if (down || (error instanceof AppError && error.code === 'unavailable')) return 'unavailable';
  if (!(error instanceof AppError)) return undefined;
  if (error.code === 'conflict') return 'already_owned';
  if (error.code === 'not_found') return 'product_gone';
  if (error.code === 'validation_failed' && currency) {
    // Our own check names the minimum in its details; NOWPayments says AMOUNT_MINIMAL_ERROR
    // (provider_code) or "less than minimal" when the rate moved under it after our check.
    const details = JSON.stringify(error.details ?? '');
    const minimum = /minimum|AMOUNT_MINIMAL/i.test(details) || /minimal|smallest/i.test(error.message);
    return minimum ? 'below_minimum' : 'currency_refused';
  }
  return undefined;
}

/** Runs one step of a purchase: its value, or the refusal its error stands for (bugs are rethrown). */
export async function refusable<T extends object>(
  step: () => T | Promise<T>,
  currency?: string,
): Promise<Refusable<T>> {
  try {
    return { ok: true, ...(await step()) };
  } catch (error) {
    const reason = refusalOf(error, currency);
    if (!reason) throw error;
    return { ok: false, reason };
  }
}
