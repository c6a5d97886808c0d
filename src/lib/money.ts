/** The platform fee in cents: percent of the price, rounded half up; never more than the price. */
export function feeCents(priceCents: number, percent: number): number {
  return Math.min(priceCents, Math.round((priceCents * percent) / 100));
}

/** Cents as a decimal string for providers that want an amount, e.g. 4900 -> "49.00". */
export function centsToDecimal(cents: number): string {
  return `${Math.trunc(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

/**
 * A provider amount (JSON number or string) as a plain decimal string: 1e-7 -> "0.0000001".
 * Crypto amounts are never held as floats beyond this conversion.
 */
const plainDecimal = new Intl.NumberFormat('en-US', { useGrouping: false, maximumFractionDigits: 20 });

export function decimalString(value: number | string | null | undefined): string | null {
  if (value === null || value === undefined || value === '') return null;
  return typeof value === 'string' ? value : plainDecimal.format(value);
}

const SCALE = 18;
const toUnits = (decimal: string): bigint => {
  const [whole = '0', fraction = ''] = decimal.trim().replace(/^\+/, '').split('.');
  const negative = whole.startsWith('-');
  const units = BigInt(whole.replace('-', '') || '0') * 10n ** BigInt(SCALE) + BigInt(fraction.padEnd(SCALE, '0').slice(0, SCALE) || '0');
  return negative ? -units : units;
};

/** a - b for decimal strings, exactly (18 decimals); never below zero. */
export function decimalShortfall(expected: string, received: string): string {
  const diff = toUnits(expected) - toUnits(received);
  if (diff <= 0n) return '0';
  const whole = diff / 10n ** BigInt(SCALE);
  const fraction = (diff % 10n ** BigInt(SCALE)).toString().padStart(SCALE, '0').replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : `${whole}`;
}
