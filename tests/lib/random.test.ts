/**
 * Random bytes and integers from Web Crypto: the sizes asked for, every value of a range reached,
 * none outside it.
 */
import { expect, test } from 'bun:test';
import { randomBytes, randomInt } from '../../src/lib/random.ts';

test('randomBytes gives as many bytes as asked, different each time', () => {
  expect(randomBytes(32)).toHaveLength(32);
  expect(randomBytes(32).toString('hex')).not.toBe(randomBytes(32).toString('hex'));
});

test('randomInt stays in [min, max) and reaches every value of a small range', () => {
  const seen = new Map<number, number>();
  for (let i = 0; i < 6_000; i++) {
    const n = randomInt(3, 9);
    seen.set(n, (seen.get(n) ?? 0) + 1);
  }
  expect([...seen.keys()].sort()).toEqual([3, 4, 5, 6, 7, 8]);
  // 1,000 expected each; a uniform draw stays well within these bounds.
  for (const count of seen.values()) expect(count).toBeGreaterThan(800);
  const code = randomInt(0, 1_000_000);
  expect(Number.isInteger(code) && code >= 0 && code < 1_000_000).toBe(true);
});
