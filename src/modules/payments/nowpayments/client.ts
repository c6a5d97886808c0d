import type { Cache } from '../../../lib/cache.ts';
import { AppError } from '../../../lib/errors.ts';
import {
  HttpError,
  UpstreamNetworkError,
  UpstreamTimeoutError,
  UpstreamUnavailableError,
  type HttpClient,
} from '../../../lib/http-client.ts';

/** A payment as NOWPayments shows it (POST /v1/payment, GET /v1/payment/{id} and IPNs). */
export interface NowPayment {
  /** A string in the POST answer, a number in GET and IPN bodies: normalise with String(). */
  payment_id: string | number;
  parent_payment_id?: string | number | null;
  payment_status: string;
  pay_address?: string | null;
  payin_extra_id?: string | null;
  price_amount?: number | string;
  price_currency?: string;
  pay_amount?: number | string | null;
  actually_paid?: number | string | null;
  pay_currency: string;
  order_id?: string | null;
  expiration_estimate_date?: string | null;
  valid_until?: string | null;
}

export interface CreatePaymentInput {
  price_amount: number;
  price_currency: string;
  pay_currency: string;
  order_id: string;
  order_description: string;
  ipn_callback_url?: string;
}

const CURRENCIES_TTL_MS = 60 * 60 * 1000;
/** Retry-After sent to our callers when NOWPayments is unreachable and named no wait itself. */
const UNREACHABLE_RETRY_AFTER_S = 30;

/**
 * NOWPayments unreachable, too slow, failing (5xx) or rate limiting us after the retries were
 * spent: the caller gets `unavailable` (503 + Retry-After), not an internal error. Anything else
 * (4xx, an uncertain POST, an open circuit that already says so) passes through unchanged.
 */
function asUnavailable(error: unknown): unknown {
  const down =
    error instanceof UpstreamNetworkError ||
    error instanceof UpstreamTimeoutError ||
    (error instanceof HttpError && (error.status >= 500 || error.status === 429));
  if (!down) return error;
  const retryAfter = (error instanceof HttpError && error.retryAfterSeconds) || UNREACHABLE_RETRY_AFTER_S;
  return new UpstreamUnavailableError(
    'nowpayments',
    'the payment provider is not answering; try again shortly',
    retryAfter,
    {
      cause: error,
    },
  );
}

/**
 * The NOWPayments REST API (x-api-key). Every call goes through the http-client, so it has a
 * timeout, safe retries and the circuit breaker.
 */
export function createNowPaymentsClient({ http, cache }: { http: HttpClient; cache: Cache<string> }) {
  async function get<T>(path: string, query?: Record<string, string | number>): Promise<T> {
    try {
      return (await http.request<T>({ method: 'GET', path, query })).data;
    } catch (error) {
      throw asUnavailable(error);
    }
  }

  async function currencies(): Promise<string[]> {
    const json = await cache.getOrLoad(
      'nowpayments:currencies',
      async () => JSON.stringify((await get<{ currencies: string[] }>('/v1/currencies')).currencies),
      { ttlMs: CURRENCIES_TTL_MS },
    );
    return JSON.parse(json) as string[];
  }

  /** The smallest payment in `payCurrency`, and what it is worth in the price currency. */
  async function minAmount(payCurrency: string, priceCurrency: string) {
    return get<{ min_amount: number; fiat_equivalent?: number }>('/v1/min-amount', {
      currency_from: payCurrency,
      currency_to: payCurrency,
      fiat_equivalent: priceCurrency.toLowerCase(),
    });
  }

  async function createPayment(input: CreatePaymentInput): Promise<NowPayment> {
    try {
      return (await http.request<NowPayment>({ method: 'POST', path: '/v1/payment', body: input })).data;
    } catch (error) {
      // NOWPayments refuses with 400 AMOUNT_MINIMAL_ERROR when the rate moved under the minimum.
      if (error instanceof HttpError && error.status === 400) {
        const body = error.body as { code?: string; message?: string } | null;
        throw new AppError('validation_failed', `the payment provider refused: ${body?.message ?? 'invalid request'}`, {
          provider_code: body?.code ?? null,
        });
      }
      throw asUnavailable(error);
    }
  }

  const getPayment = (id: string) => get<NowPayment>(`/v1/payment/${encodeURIComponent(id)}`);
  const status = () => get<{ message: string }>('/v1/status');

  return { status, currencies, minAmount, createPayment, getPayment, breakerState: () => http.state() };
}

export type NowPaymentsClient = ReturnType<typeof createNowPaymentsClient>;
