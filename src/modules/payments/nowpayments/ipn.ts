/**
 * What a NOWPayments payment update says, read field by field. An IPN whose signature is
 * good is still only JSON: a field may be missing, null, of another type or junk. Amounts
 * arrive as JSON numbers or numeric strings (the reference shows numbers, some integrations
 * receive strings) and become exact decimal strings here; ids arrive as numbers (IPN, GET)
 * or digit strings (POST answer). Anything the rules need that cannot be read makes the
 * update malformed: kept and flagged, never applied.
 */
import { parseDecimal } from '../../../lib/money.ts';

/** The payment statuses NOWPayments documents; anything else cannot be applied. */
export const NOWPAYMENTS_STATUSES = [
  'waiting',
  'confirming',
  'confirmed',
  'sending',
  'partially_paid',
  'finished',
  'failed',
  'refunded',
  'expired',
] as const;

export interface PaymentUpdate {
  paymentId: string;
  /** Set on a repeated or wrong-asset deposit to the address of `parentPaymentId`. */
  parentPaymentId: string | null;
  status: string;
  orderId: string | null;
  /** Lowercase, like the currency codes we send. */
  payCurrency: string;
  payAddress: string | null;
  /** Decimal strings, or null when the update does not say. */
  payAmount: string | null;
  actuallyPaid: string | null;
  priceAmount: string | null;
  priceCurrency: string | null;
}

export type UpdateReading =
  | { ok: true; update: PaymentUpdate }
  /** What could be read is kept for the admin's listing; `problem` says what could not. */
  | { ok: false; problem: string; paymentId: string | null; status: string; actuallyPaid: string | null };

/** Payment ids are integers; 20 digits hold any 64-bit one. */
const ID = /^\d{1,20}$/;
const SHORT_TEXT = 100;

function readId(value: unknown): string | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? String(value) : null;
  return typeof value === 'string' && ID.test(value) ? value : null;
}

/**
 * Reads one update (an IPN body or a `GET /v1/payment/{id}` answer). Optional fields may be
 * absent or null; when present they must have their type. A `finished` update must say what
 * was paid and for what price, or nothing proves the order is paid.
 */
export function readPaymentUpdate(body: unknown): UpdateReading {
  const source = (body !== null && typeof body === 'object' && !Array.isArray(body) ? body : {}) as Record<
    string,
    unknown
  >;
  const problems: string[] = [];
  const has = (key: string) => Object.hasOwn(source, key) && source[key] !== null && source[key] !== undefined;

  const paymentId = readId(source.payment_id);
  if (paymentId === null) problems.push('payment_id is not a payment id');
  const status = typeof source.payment_status === 'string' ? source.payment_status : '';
  if (!(NOWPAYMENTS_STATUSES as readonly string[]).includes(status)) {
    problems.push(has('payment_status') ? 'payment_status is not a known status' : 'payment_status is missing');
  }
  const parentPaymentId = has('parent_payment_id') ? readId(source.parent_payment_id) : null;
  if (has('parent_payment_id') && parentPaymentId === null) problems.push('parent_payment_id is not a payment id');

  const text = (key: string): string | null => {
    if (!has(key)) return null;
    const value = source[key];
    if (typeof value === 'string' && value.length <= SHORT_TEXT) return value;
    problems.push(`${key} is not a short string`);
    return null;
  };
  const amount = (key: string): string | null => {
    if (!has(key)) return null;
    const value = parseDecimal(source[key]);
    if (value === null) problems.push(`${key} is not a non-negative amount`);
    return value;
  };
  const update: PaymentUpdate = {
    paymentId: paymentId ?? '',
    parentPaymentId,
    status,
    orderId: text('order_id'),
    payCurrency: text('pay_currency')?.toLowerCase() ?? '',
    payAddress: text('pay_address'),
    payAmount: amount('pay_amount'),
    actuallyPaid: amount('actually_paid'),
    priceAmount: amount('price_amount'),
    priceCurrency: text('price_currency')?.toLowerCase() ?? null,
  };
  // Every update NOWPayments documents names its coin; without it a payment cannot be recorded.
  if (!has('pay_currency')) problems.push('pay_currency is missing');
  if (status === 'finished') {
    for (const key of ['actually_paid', 'price_amount', 'price_currency'] as const) {
      if (!has(key)) problems.push(`a finished payment without ${key}`);
    }
  }
  if (problems.length > 0) {
    return {
      ok: false,
      problem: problems.join('; '),
      paymentId,
      status: status.slice(0, 40),
      actuallyPaid: update.actuallyPaid,
    };
  }
  return { ok: true, update };
}
