/** The platform fee in cents: percent of the price, rounded half up; never more than the price. */
export function feeCents(priceCents: number, percent: number): number {
  return Math.min(priceCents, Math.round((priceCents * percent) / 100));
}

/** Cents as a decimal string for providers that want an amount, e.g. 4900 -> "49.00". */
export function centsToDecimal(cents: number): string {
  return `${Math.trunc(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}
