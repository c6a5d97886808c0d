import { AppError } from '../../lib/errors.ts';
import {
  HttpError,
  UncertainOutcomeError,
  UpstreamNetworkError,
  UpstreamTimeoutError,
} from '../../lib/http-client/errors.ts';
import type { BotContext } from '../context.ts';
import { currencyLabel } from '../keyboards/buy.ts';

/**
 * Why a purchase cannot go on, as a message key; undefined = not a buyer's problem (a bug, the
 * error boundary apologizes and logs it). Shared by crypto and Stars.
 */
export function refusalOf(
  error: unknown,
  currency?: string,
): { key: string; args?: Record<string, string> } | undefined {
  const down =
    error instanceof UpstreamNetworkError ||
    error instanceof UpstreamTimeoutError ||
    error instanceof UncertainOutcomeError ||
    (error instanceof HttpError && error.status >= 500);
  // AppError 'unavailable' covers an open circuit breaker (CircuitOpenError) and a provider that does not answer.
  if (down || (error instanceof AppError && error.code === 'unavailable')) return { key: 'buy-unavailable' };
  if (!(error instanceof AppError)) return undefined;
  if (error.code === 'conflict') return { key: 'buy-already-owned' };
  if (error.code === 'not_found') return { key: 'product-gone' };
  if (error.code === 'validation_failed' && currency) {
    const label = currencyLabel(currency);
    const details = JSON.stringify(error.details ?? '');
    const minimum = /minimum|AMOUNT_MINIMAL/i.test(details) || /minimal|smallest/i.test(error.message);
    return { key: minimum ? 'buy-below-minimum' : 'buy-currency-refused', args: { currency: label } };
  }
  return undefined;
}

/** Tells the buyer why (an alert on the button they pressed), or rethrows what is not theirs. */
export async function refuse(ctx: BotContext, error: unknown, currency?: string): Promise<void> {
  const refusal = refusalOf(error, currency);
  if (!refusal) throw error;
  const text = ctx.t(refusal.key, refusal.args);
  if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text, show_alert: true });
  else await ctx.reply(text);
}
