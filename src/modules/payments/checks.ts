import { centsToDecimal, compareDecimals, decimalShortfall, parseDecimal } from '../../lib/money.ts';
import { readPaymentUpdate, type PaymentUpdate } from './nowpayments/ipn.ts';

/** What an update must match: the payment as we created it and its order's frozen price. */
export interface Expected {
  orderId: string;
  priceCents: number;
  /** The order's currency, e.g. `USD`; NOWPayments echoes it lowercased. */
  currency: string;
  payCurrency: string;
  payAmount: string | null;
}

export interface Mismatch {
  flag: 'order_mismatch' | 'amount_mismatch';
  reason: string;
  /** Only the amount received is short: the order is partially paid, not ignored. */
  underpaid: boolean;
}

/** "received 0.5 of 0.8 btc; missing 0.3", or without the difference when an amount is unreadable. */
export function shortfallReason(paid: string | null, due: string | null, currency: string): string {
  const [received, owed] = [parseDecimal(paid ?? '0'), parseDecimal(due)];
  const said = `received ${paid ?? '0'} of ${due ?? '?'} ${currency}`;
  return received !== null && owed !== null ? `${said}; missing ${decimalShortfall(owed, received)}` : said;
}

const wrong = (flag: Mismatch['flag'], reason: string, underpaid = false): Mismatch => ({ flag, reason, underpaid });

/**
 * Whether an update is about the payment we asked for: our order, our price in our currency,
 * the coin we asked for and, once `finished`, at least the amount we asked for (exact
 * decimals, no tolerance: what NOWPayments' "payment covering" lets through as finished
 * arrives here as a partial payment an admin may accept). Paying more is fine.
 */
export function findMismatch(update: PaymentUpdate, expected: Expected): Mismatch | null {
  if (update.orderId !== null && update.orderId !== expected.orderId) {
    return wrong(
      'order_mismatch',
      `names order ${update.orderId}, but payment ${update.paymentId} is for order ${expected.orderId}`,
    );
  }
  const price = centsToDecimal(expected.priceCents);
  const currency = expected.currency.toLowerCase();
  if (
    (update.priceAmount !== null && compareDecimals(update.priceAmount, price) !== 0) ||
    (update.priceCurrency !== null && update.priceCurrency !== currency)
  ) {
    return wrong(
      'amount_mismatch',
      `priced ${update.priceAmount ?? '?'} ${update.priceCurrency ?? '?'}, the order costs ${price} ${currency}`,
    );
  }
  if (update.payCurrency !== expected.payCurrency.toLowerCase()) {
    return wrong('amount_mismatch', `paid in ${update.payCurrency}, the payment asked for ${expected.payCurrency}`);
  }
  if (update.status !== 'finished') return null;
  const due = parseDecimal(expected.payAmount);
  if (due === null) return wrong('amount_mismatch', 'finished, but the payment has no amount due to compare with');
  if (compareDecimals(update.actuallyPaid!, due) < 0) {
    return wrong('amount_mismatch', shortfallReason(update.actuallyPaid!, due, expected.payCurrency), true);
  }
  return null;
}

const FIXED_REASONS: Record<string, string> = {
  unknown_payment: 'no payment or order here matches it',
  repeated_deposit: 'another deposit to the address of an earlier payment: credit or refund it by hand',
  double_payment: 'the order was already paid by another payment: refund one',
};

/**
 * Why a stored event was flagged, for the admin's listing. Flags are stored as codes; the
 * reason is worked out again from the raw body with the same checks that set the flag (the
 * order's price and the payment's amount do not change after creation).
 */
export function flagReason(flag: string, raw: string, expected: Expected | null): string | null {
  if (flag !== 'malformed' && flag !== 'amount_mismatch' && flag !== 'order_mismatch')
    return FIXED_REASONS[flag] ?? null;
  let reading;
  try {
    reading = readPaymentUpdate(JSON.parse(raw));
  } catch {
    return null;
  }
  if (!reading.ok) return reading.problem;
  return expected ? (findMismatch(reading.update, expected)?.reason ?? null) : null;
}
