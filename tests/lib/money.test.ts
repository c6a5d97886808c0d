import { describe, expect, test } from 'bun:test';
import fc from 'fast-check';
import {
  centsToDecimal,
  compareDecimals,
  decimalShortfall,
  decimalString,
  feeCents,
  parseDecimal,
} from '../../src/lib/money.ts';

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

describe('provider amounts', () => {
  test('JSON numbers and numeric strings read as canonical decimals; junk reads as null', () => {
    expect(parseDecimal(1e-8)).toBe('0.00000001');
    expect(parseDecimal(49)).toBe('49');
    expect(parseDecimal('49.00')).toBe('49');
    expect(parseDecimal('049.50')).toBe('49.5');
    expect(parseDecimal('1E-7')).toBe('0.0000001');
    expect(parseDecimal(1e21)).toBe('1000000000000000000000');
    expect(parseDecimal(-0)).toBe('0');
    expect(parseDecimal('1e-30')).toBe(`0.${'0'.repeat(29)}1`);
    expect(parseDecimal(`${'9'.repeat(30)}.5`)).toBe(`${'9'.repeat(30)}.5`);
    for (const junk of [
      'abc',
      '',
      ' 1',
      '1.',
      '.5',
      '-1',
      -1,
      '0x10',
      '1,5',
      'NaN',
      Infinity,
      NaN,
      null,
      undefined,
      {},
      [],
      true,
    ]) {
      expect(parseDecimal(junk)).toBeNull();
    }
    // Not amounts: more than 30 digits on either side of the point, or absurdly long text.
    for (const junk of [
      '1e999',
      1e300,
      5e-324,
      '1e-31',
      `1${'0'.repeat(30)}`,
      `0.${'0'.repeat(30)}1`,
      `${'0'.repeat(100)}1`,
    ]) {
      expect(parseDecimal(junk)).toBeNull();
    }
  });

  test('amounts compare exactly, whatever their length or trailing zeros', () => {
    expect(compareDecimals('0.1', '0.10')).toBe(0);
    expect(compareDecimals('0.00000001', '0.01')).toBe(-1);
    expect(compareDecimals('25', '25.00')).toBe(0);
    expect(compareDecimals('0.000000000000000000001', '0')).toBe(1);
    expect(() => compareDecimals('abc', '1')).toThrow(TypeError);
  });

  // Decimal strings built from an integer and a scale, so the test's own arithmetic is BigInt's.
  const decimal = fc
    .record({
      digits: fc.bigInt({ min: 0n, max: 10n ** 30n - 1n }),
      scale: fc.integer({ min: 0, max: 24 }),
      pad: fc.nat(3),
    })
    .map(({ digits, scale, pad }) => {
      const text = digits.toString().padStart(scale + 1, '0');
      const whole = text.slice(0, text.length - scale);
      const fraction = text.slice(text.length - scale) + '0'.repeat(scale > 0 ? pad : 0);
      return { text: fraction ? `${whole}.${fraction}` : whole, digits, scale };
    });
  const atScale = (d: { digits: bigint; scale: number }, scale: number) => d.digits * 10n ** BigInt(scale - d.scale);

  test('property: comparison and shortfall agree with integer arithmetic at a common scale', () => {
    fc.assert(
      fc.property(decimal, decimal, (a, b) => {
        const [x, y] = [atScale(a, 24), atScale(b, 24)];
        expect(compareDecimals(a.text, b.text)).toBe(x < y ? -1 : x > y ? 1 : 0);
        expect(compareDecimals(b.text, a.text)).toBe(x < y ? 1 : x > y ? -1 : 0);
        const missing = decimalShortfall(a.text, b.text);
        expect(compareDecimals(missing, '0')).toBe(x > y ? 1 : 0);
        if (x > y) expect(atScale({ digits: x - y, scale: 24 }, 24)).toBe(atScale(scaledOf(missing), 24));
      }),
      { numRuns: 500 },
    );
  });

  test('property: a canonical amount reads back as itself and equals what it was read from', () => {
    fc.assert(
      fc.property(decimal, (a) => {
        const canonical = parseDecimal(a.text)!;
        expect(parseDecimal(canonical)).toBe(canonical);
        expect(compareDecimals(canonical, a.text)).toBe(0);
        expect(canonical).toMatch(/^(0|[1-9]\d*)(\.\d*[1-9])?$/);
      }),
      { numRuns: 500 },
    );
  });

  test('property: a JSON number reads as the decimal JavaScript prints for it, or as junk beyond 30 digits', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, noNaN: true, noDefaultInfinity: true }), (n) => {
        const read = parseDecimal(n);
        if (read !== null) expect(Number(read)).toBe(n);
        // 17 significant digits at most: from 1e-13 up they fit in 30 decimals.
        if (n === 0 || (n >= 1e-13 && n < 1e30)) expect(read).not.toBeNull();
      }),
      { numRuns: 1000 },
    );
    // Crypto amounts as JSON numbers: 8 decimals, 15 significant digits at most, so the double is exact enough.
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n - 1n }), fc.integer({ min: 0, max: 8 }), (digits, scale) => {
        const text = digits.toString().padStart(scale + 1, '0');
        const exact = scale ? `${text.slice(0, -scale)}.${text.slice(-scale)}` : text;
        expect(parseDecimal(Number(exact))).toBe(parseDecimal(exact));
      }),
    );
  });
});

/** The integer and scale of a plain decimal string, for the checks above. */
function scaledOf(text: string) {
  const [whole, fraction = ''] = text.split('.');
  return { digits: BigInt(`${whole}${fraction}`), scale: fraction.length };
}
