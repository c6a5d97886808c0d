/** Product ids: how they are made and how an id a person typed is read. */
import { describe, expect, test } from 'bun:test';
import { normalizeProductId, PRODUCT_ID_PATTERN, productId } from '../../src/lib/ids.ts';

describe('product ids', () => {
  test('a typed id in any case, with stray spaces, reads as the stored one', () => {
    expect(normalizeProductId('  tbf-2611-abcdef\n')).toBe('TBF-2611-ABCDEF');
    expect(normalizeProductId('TBF-2611-ABCDEF')).toBe('TBF-2611-ABCDEF');
  });

  test('a new id names its month and matches the pattern people are told to type', () => {
    const id = productId(Date.UTC(2026, 10, 24));
    expect(id.startsWith('TBF-2611-')).toBe(true);
    expect(PRODUCT_ID_PATTERN.test(id)).toBe(true);
    expect(normalizeProductId(id.toLowerCase())).toBe(id);
  });
});
