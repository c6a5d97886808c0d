import { describe, expect, test } from 'bun:test';
import fc from 'fast-check';
import {
  checkCourseDescription,
  checkCourseTitle,
  parsePriceCents,
  parseStars,
} from '../../../src/modules/sellers/course-input.ts';

describe('course answers', () => {
  test('prices: comma or dot, at most two decimals, 1.00 to 5,000.00; ambiguous text refused', () => {
    const ok = (text: string) => parsePriceCents(text);
    expect(ok('12')).toEqual({ ok: true, value: 1200 });
    expect(ok('12.5')).toEqual({ ok: true, value: 1250 });
    expect(ok(' 12,50 ')).toEqual({ ok: true, value: 1250 });
    expect(ok('1,00')).toEqual({ ok: true, value: 100 });
    expect(ok('5000.00')).toEqual({ ok: true, value: 500_000 });
    for (const bad of ['12,3,4', '1.234,56', '12.345', '-5', '', 'free', '1e3', '12 $'])
      expect(ok(bad)).toMatchObject({ ok: false, reason: 'format' });
    expect(ok('0.99')).toEqual({ ok: false, reason: 'too_short' });
    expect(ok('5000.01')).toEqual({ ok: false, reason: 'too_long' });
  });

  test('property: any price in range written with a comma or a dot reads back as its cents', () => {
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 500_000 }), fc.constantFrom('.', ','), (cents, sep) => {
        const text = `${Math.trunc(cents / 100)}${sep}${String(cents % 100).padStart(2, '0')}`;
        expect(parsePriceCents(text)).toEqual({ ok: true, value: cents });
      }),
    );
  });

  test('title 5-100, description 1-1000, Stars a positive whole number', () => {
    expect(checkCourseTitle('Rust')).toEqual({ ok: false, reason: 'too_short' });
    expect(checkCourseTitle('  Rust   basics ')).toEqual({ ok: true, value: 'Rust basics' });
    expect(checkCourseTitle('t'.repeat(101))).toEqual({ ok: false, reason: 'too_long' });
    expect(checkCourseDescription(' ')).toEqual({ ok: false, reason: 'empty' });
    expect(checkCourseDescription('d'.repeat(1001))).toEqual({ ok: false, reason: 'too_long' });
    expect(parseStars('250')).toEqual({ ok: true, value: 250 });
    expect(parseStars('2.5')).toMatchObject({ ok: false });
    expect(parseStars('0')).toMatchObject({ ok: false });
  });
});
