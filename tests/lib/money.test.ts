import { expect, test } from 'bun:test';
import { centsToDecimal, decimalShortfall, decimalString, feeCents } from '../../src/lib/money.ts';

test('fees round half up and never exceed the price', () => {
  expect(feeCents(4999, 5)).toBe(250);
  expect(feeCents(10, 5)).toBe(1);
  expect(feeCents(100, 100)).toBe(100);
  expect(feeCents(100, 0)).toBe(0);
});

test('provider amounts become exact decimal strings', () => {
  expect(decimalString(0.000083)).toBe('0.000083');
  expect(decimalString(1e-7)).toBe('0.0000001');
  expect(decimalString('0.5')).toBe('0.5');
  expect(decimalString(null)).toBeNull();
  expect(centsToDecimal(4900)).toBe('49.00');
  expect(centsToDecimal(5)).toBe('0.05');
});

test('the missing part of a partial payment is exact', () => {
  expect(decimalShortfall('0.00123456', '0.001')).toBe('0.00023456');
  expect(decimalShortfall('0.3', '0.1')).toBe('0.2');
  expect(decimalShortfall('1', '1.5')).toBe('0');
  expect(decimalShortfall('2', '0')).toBe('2');
});
