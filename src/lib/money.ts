/** The platform fee in cents: percent of the price, rounded half up; never more than the price. */
export function feeCents(priceCents: number, percent: number): number {
  return Math.min(priceCents, Math.round((priceCents * percent) / 100));
}

/** Cents as a decimal string for providers that want an amount, e.g. 4900 -> "49.00". */
export function centsToDecimal(cents: number): string {
  return `${Math.trunc(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

/** A non-negative decimal as an integer and a power of ten: value = digits / 10^scale. */
interface Scaled {
  digits: bigint;
  scale: number;
}

/** Plain (`0.5`) or exponent (`1e-7`, what `String(number)` may print) notation; no sign. */
const DECIMAL = /^(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/i;
/** Beyond these it is not an amount but junk (and would cost memory to expand). */
const MAX_TEXT = 100;
const MAX_DIGITS = 30;

function scaled(value: unknown): Scaled | null {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) return null;
    // The shortest text that reads back as this number: what the sender meant, no binary noise.
    text = String(value);
  } else if (typeof value === 'string') {
    text = value;
  } else {
    return null;
  }
  if (text.length > MAX_TEXT) return null;
  const match = DECIMAL.exec(text);
  if (!match) return null;
  const [, whole, fraction = '', exponent = '0'] = match;
  const significant = `${whole}${fraction}`.replace(/^0+/, '');
  const trimmed = significant.replace(/0+$/, '');
  if (!trimmed) return { digits: 0n, scale: 0 };
  // value = trimmed / 10^scale; a huge exponent gives an infinite scale, refused below.
  const scale = fraction.length - Number(exponent) - (significant.length - trimmed.length);
  if (scale > MAX_DIGITS || trimmed.length - scale > MAX_DIGITS) return null;
  const digits = BigInt(trimmed);
  return scale >= 0 ? { digits, scale } : { digits: digits * 10n ** BigInt(-scale), scale: 0 };
}

function format({ digits, scale }: Scaled): string {
  const text = digits.toString().padStart(scale + 1, '0');
  const whole = text.slice(0, text.length - scale);
  const fraction = text.slice(text.length - scale).replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : whole;
}

/** Both at the same scale, so their digits compare and subtract exactly. */
function aligned(a: Scaled, b: Scaled): [bigint, bigint, number] {
  const scale = Math.max(a.scale, b.scale);
  return [a.digits * 10n ** BigInt(scale - a.scale), b.digits * 10n ** BigInt(scale - b.scale), scale];
}

function mustScale(decimal: string): Scaled {
  const value = scaled(decimal);
  if (!value) throw new TypeError(`not a non-negative decimal: ${JSON.stringify(decimal).slice(0, 80)}`);
  return value;
}

/**
 * A provider amount (JSON number or numeric string) as a canonical decimal string - no
 * exponent, no leading or trailing zeros: 1e-7 -> "0.0000001", "049.50" -> "49.5". Null for
 * anything else: negative, not finite, not a number, text over 100 characters, more than 30
 * digits before or after the point. Crypto amounts are never held as floats beyond this
 * conversion.
 */
export function parseDecimal(value: unknown): string | null {
  const parsed = scaled(value);
  return parsed && format(parsed);
}

/** An amount from a trusted answer, kept as given when it is a string; null when absent. */
export function decimalString(value: number | string | null | undefined): string | null {
  if (value === null || value === undefined || value === '') return null;
  return typeof value === 'string' ? value : (parseDecimal(value) ?? String(value));
}

/** -1, 0 or 1 as a < b, a = b, a > b; exact for any length. Both must be non-negative decimals. */
export function compareDecimals(a: string, b: string): -1 | 0 | 1 {
  const [x, y] = aligned(mustScale(a), mustScale(b));
  return x < y ? -1 : x > y ? 1 : 0;
}

/** expected - received for decimal strings, exactly; never below zero. */
export function decimalShortfall(expected: string, received: string): string {
  const [x, y, scale] = aligned(mustScale(expected), mustScale(received));
  return x <= y ? '0' : format({ digits: x - y, scale });
}
