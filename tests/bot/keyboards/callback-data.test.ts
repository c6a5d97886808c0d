/**
 * The callback data of the bot's buttons: every route round-trips within Telegram's 64 bytes,
 * reads compactly, never throws on junk, refuses other versions and malformed fields, and says
 * which limiter a press counts against.
 */
import { describe, expect, test } from 'bun:test';
import fc from 'fast-check';
import {
  budgetOf,
  CALLBACK_DATA_MAX_BYTES,
  CALLBACK_VERSION,
  cb,
  classifyCallbackData,
  type ListRef,
  type ListScope,
} from '../../../src/bot/keyboards/callback-data.ts';
import { READABLE_ALPHABET } from '../../../src/lib/ids.ts';

const productId = fc
  .tuple(
    fc.integer({ min: 0, max: 9999 }),
    fc.string({ unit: fc.constantFrom(...READABLE_ALPHABET), minLength: 6, maxLength: 6 }),
  )
  .map(([yymm, tail]) => `TBF-${String(yymm).padStart(4, '0')}-${tail}`);
const scope: fc.Arbitrary<ListScope> = fc.oneof(
  fc.record({ kind: fc.constant('category' as const), id: fc.integer({ min: 1, max: 999_999_999 }) }),
  fc.record({ kind: fc.constant('seller' as const), id: fc.integer({ min: 1, max: 999_999_999 }) }),
  fc.constant({ kind: 'search' as const }),
);
const listRef: fc.Arbitrary<ListRef> = fc.record({
  scope,
  sort: fc.constantFrom('new' as const, 'top' as const, 'rel' as const),
  page: fc.integer({ min: 0, max: 999 }),
});

const bytes = (data: string) => Buffer.byteLength(data);

describe('callback data codec', () => {
  test('every route round-trips and stays within 64 bytes', () => {
    fc.assert(
      fc.property(
        listRef,
        productId,
        fc.option(listRef, { nil: undefined }),
        fc.constantFrom('crypto' as const, 'stars' as const),
        (ref, id, back, method) => {
          const list = cb.list.pack(ref);
          const product = cb.product.pack({ id, back });
          const buy = cb.buy.pack({ method, id });
          for (const data of [list, product, buy]) expect(bytes(data)).toBeLessThanOrEqual(CALLBACK_DATA_MAX_BYTES);
          expect(cb.list.unpack(list)).toEqual(ref);
          expect(cb.product.unpack(product)).toEqual({ id, back });
          expect(cb.buy.unpack(buy)).toEqual({ method, id });
        },
      ),
    );
  });

  test('the layouts are compact and readable', () => {
    expect(cb.buy.pack({ method: 'crypto', id: 'TBF-2611-ABCDEF' })).toBe(
      `${CALLBACK_VERSION}:buy:crypto:TBF-2611-ABCDEF`,
    );
    expect(cb.buy.pack({ method: 'stars', id: 'TBF-2611-ABCDEF' })).toBe(
      `${CALLBACK_VERSION}:buy:stars:TBF-2611-ABCDEF`,
    );
    expect(cb.list.pack({ scope: { kind: 'category', id: 3 }, sort: 'top', page: 2 })).toBe('1:list:c3:top:2');
    expect(cb.product.pack({ id: 'TBF-2611-ABCDEF', back: undefined })).toBe('1:prod:TBF-2611-ABCDEF');
    expect(
      cb.product.pack({ id: 'TBF-2611-ABCDEF', back: { scope: { kind: 'seller', id: 9 }, sort: 'new', page: 0 } }),
    ).toBe('1:prod:TBF-2611-ABCDEF:s9.new.0');
    expect(cb.language.pack({ code: undefined })).toBe('1:lang');
    expect(cb.language.unpack('1:lang:fr')).toEqual({ code: 'fr' });
    expect(cb.menu.pack({})).toBe('1:menu');
  });

  test('tags are unique, so no two routes can claim the same button', () => {
    const tags = Object.values(cb).map((route) => route.tag);
    expect(new Set(tags).size).toBe(tags.length);
  });

  test('any string decodes to a value or to nothing, never throws', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 80 }),
          fc.string({ unit: fc.constantFrom(...'1:listcqprodbuy.TBF-0123456789ABC'), maxLength: 40 }),
        ),
        (data) => {
          for (const route of Object.values(cb)) route.unpack(data);
          expect(['current', 'stale', 'unknown']).toContain(classifyCallbackData(data));
        },
      ),
    );
  });

  test('malformed fields and other versions do not decode', () => {
    expect(cb.product.unpack('1:prod:not-a-product')).toBeUndefined();
    expect(cb.product.unpack('1:prod:TBF-2611-ABCDEF:c1.top')).toBeUndefined();
    expect(cb.list.unpack('1:list:c1:cheap:0')).toBeUndefined();
    expect(cb.list.unpack('1:list:c1:top:0:extra')).toBeUndefined();
    expect(cb.buy.unpack('1:buy:paypal:TBF-2611-ABCDEF')).toBeUndefined();
    expect(cb.buy.unpack('0:buy:crypto:TBF-2611-ABCDEF')).toBeUndefined();
    expect(cb.menu.unpack('1:menus')).toBeUndefined();
    expect(classifyCallbackData('0:buy:crypto:TBF-2611-ABCDEF')).toBe('stale');
    expect(classifyCallbackData('7:anything')).toBe('stale');
    expect(classifyCallbackData('1:prod:whatever')).toBe('current');
    expect(classifyCallbackData('buy_42')).toBe('unknown');
  });

  test('buttons that act count as messages; browsing, stale and junk data as browsing', () => {
    const id = 'TBF-2611-ABCDEF';
    expect(budgetOf(cb.buy.pack({ method: 'stars', id }))).toBe('messages');
    expect(budgetOf(cb.coin.pack({ id, code: 'btc' }))).toBe('messages');
    expect(budgetOf(cb.download.pack({ id }))).toBe('messages');
    expect(budgetOf(cb.list.pack({ scope: { kind: 'search' }, sort: 'rel', page: 2 }))).toBe('browse');
    expect(budgetOf(cb.coins.pack({ id, page: 1 }))).toBe('browse');
    expect(budgetOf(cb.libraryPage.pack({ page: 0 }))).toBe('browse');
    expect(budgetOf(cb.product.pack({ id, back: undefined }))).toBe('browse');
    expect(budgetOf(`0:buy:crypto:${id}`)).toBe('browse');
    expect(budgetOf('buyz')).toBe('browse');
    expect(budgetOf(undefined)).toBe('browse');
  });
});
