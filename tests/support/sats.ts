/** BTC amounts as integer satoshis and back: the tests' own exact arithmetic, independent of the app's. */
const SAT = 10n ** 8n;

export const toSats = (decimal: string): bigint => {
  const [whole, fraction = ''] = decimal.split('.');
  return BigInt(whole!) * SAT + BigInt(fraction.padEnd(8, '0'));
};

export const fromSats = (sats: bigint): string => {
  const fraction = (sats % SAT).toString().padStart(8, '0').replace(/0+$/, '');
  return fraction ? `${sats / SAT}.${fraction}` : `${sats / SAT}`;
};
