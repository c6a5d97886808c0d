/** Number formats kept per locale and options (src/lib/number-format.ts). */
import { describe, expect, test } from 'bun:test';
import { formatMoney, numberFormat } from '../../src/lib/number-format.ts';

describe('number formats', () => {
  test('money reads as each language writes it', () => {
    expect(formatMoney('en-US', 4900, 'USD')).toBe('$49.00');
    expect(formatMoney('fr-FR', 4990, 'USD')).toBe('49,90\u00a0$US');
    expect(formatMoney('fr', 123456, 'EUR')).toBe('1\u202f234,56\u00a0€');
  });

  test('one format per locale and options, built once; other options get their own', () => {
    const oneDecimal = numberFormat('fr-FR', { maximumFractionDigits: 1 });
    expect(numberFormat('fr-FR', { maximumFractionDigits: 1 })).toBe(oneDecimal);
    expect(numberFormat('fr-FR', { maximumFractionDigits: 2 })).not.toBe(oneDecimal);
    expect(numberFormat('en-US', { maximumFractionDigits: 1 })).not.toBe(oneDecimal);
    expect(oneDecimal.format(1.25)).toBe('1,3');
  });

  test('past the cap the kept formats are dropped, and formatting goes on right', () => {
    for (let digits = 0; digits <= 20; digits++)
      for (const locale of ['en', 'fr', 'de', 'es']) numberFormat(locale, { maximumFractionDigits: digits });
    expect(numberFormat('en', { maximumFractionDigits: 3 }).format(Math.PI)).toBe('3.142');
    expect(formatMoney('en-US', 1, 'USD')).toBe('$0.01');
  });
});
