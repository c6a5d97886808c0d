import { describe, expect, test } from 'bun:test';
import fc from 'fast-check';
import type { ListProductsInput, ProductView, Sort } from '../../src/modules/catalog/model.ts';
import { searchPageSql, type Shape } from '../../src/modules/catalog/queries.ts';
import { toFtsQuery } from '../../src/modules/catalog/search.ts';
import { catalogFixture } from '../support/catalog.ts';

const titles = (page: { items: { title: string }[] }) => page.items.map((p) => p.title);

describe('catalog search', () => {
  test('is accent-insensitive both ways', () => {
    const { catalog, product } = catalogFixture();
    product({ title: 'Développement web moderne' });
    product({ title: 'Cuisine sans gluten' });
    expect(titles(catalog.listProducts({ q: 'developpement' }))).toEqual(['Développement web moderne']);
    expect(titles(catalog.listProducts({ q: 'DÉVELOPPEMENT' }))).toEqual(['Développement web moderne']);
  });

  test('matches word prefixes as people type', () => {
    const { catalog, product } = catalogFixture();
    product({ title: 'Bitcoin pour débutants' });
    for (const q of ['b', 'bi', 'bit', 'bitco', 'bitcoin déb']) {
      expect(titles(catalog.listProducts({ q }))).toEqual(['Bitcoin pour débutants']);
    }
    expect(catalog.listProducts({ q: 'bitcoinx' }).items).toEqual([]);
  });

  test('ranks title matches above description matches', () => {
    const { catalog, product } = catalogFixture();
    product({ title: 'Marketing for shops', description: 'Learn how to sell online with email campaigns.' });
    product({ title: 'Email marketing masterclass', description: 'Everything about newsletters.' });
    expect(titles(catalog.listProducts({ q: 'email' }))).toEqual([
      'Email marketing masterclass',
      'Marketing for shops',
    ]);
  });

  test('a product id, in any case, opens that product', () => {
    const { catalog, product } = catalogFixture();
    const created = product({ title: 'Design Figma' });
    product();
    expect(catalog.listProducts({ q: created.id.toLowerCase() }).items.map((p) => p.id)).toEqual([created.id]);
    expect(catalog.listProducts({ q: 'TBF-2611-ZZZZZZ' }).items).toEqual([]);
  });

  test('only active products are found', () => {
    const { catalog, product, seller } = catalogFixture();
    const hidden = product({ title: 'Hidden course' });
    catalog.deactivateProduct(seller, hidden.id);
    expect(catalog.listProducts({ q: 'hidden' }).items).toEqual([]);
    expect(catalog.listProducts({ q: hidden.id }).items).toEqual([]);
  });

  test('hostile input returns results or an empty list, never an error', () => {
    const { catalog, product } = catalogFixture();
    product({ title: 'Quotes and stars' });
    const hostile = [
      '"',
      '*',
      'NEAR(',
      'NEAR(a b',
      "' OR 1=1 --",
      '"); DROP TABLE products; --',
      'title:x',
      'AND OR NOT',
      '^',
      '{}',
      'x'.repeat(10_000),
      `${'é'.repeat(5000)}"*`,
    ];
    for (const q of hostile) expect(() => catalog.listProducts({ q })).not.toThrow();
    expect(titles(catalog.listProducts({ q: '"quotes" *stars*' }))).toEqual(['Quotes and stars']);
  });

  test('property: any text becomes a query SQLite accepts', () => {
    const { catalog, product } = catalogFixture();
    product();
    fc.assert(
      fc.property(fc.string({ maxLength: 200, unit: 'grapheme' }), (q) => {
        const page = catalog.listProducts({ q });
        expect(Array.isArray(page.items)).toBe(true);
      }),
      { numRuns: 300 },
    );
    expect(toFtsQuery('  !!! ')).toBeNull();
  });
});

/** Lower case, accents off: what the tokenizer (unicode61, remove_diacritics 2) does to ASCII-ish text. */
const fold = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
/** Does `product` hold, for every word of `q`, a word starting with it (the search's rule)? */
const matches = (product: ProductView, q: string) => {
  const words = fold(`${product.title} ${product.description}`).match(/[\p{L}\p{N}]+/gu) ?? [];
  const terms = fold(q).match(/[\p{L}\p{N}]+/gu) ?? [];
  return terms.length > 0 && terms.slice(0, 8).every((t) => words.some((w) => w.startsWith(t.slice(0, 40))));
};

describe('catalog search under hostile input', () => {
  const SORTS: Sort[] = ['relevance', 'newest', 'bestsellers', 'price_asc', 'price_desc', 'rating'];
  const HOSTILE = [
    'c',
    'é',
    'a b c d e f g h',
    'c c c c',
    'co c',
    'NEAR(c o)',
    'c OR x',
    '-c',
    'title:c',
    '"c',
    "c'est",
    '*',
    'c'.repeat(5000),
    'é"*'.repeat(1250),
  ];
  const PAGES: Record<Exclude<Sort, 'relevance'>, (a: ProductView, b: ProductView) => number> = {
    newest: (a, b) => b.created_at.localeCompare(a.created_at),
    bestsellers: (a, b) => b.sales_count - a.sales_count,
    price_asc: (a, b) => a.price_cents - b.price_cents,
    price_desc: (a, b) => b.price_cents - a.price_cents,
    rating: (a, b) => b.rating.average - a.rating.average,
  };

  function shop() {
    const fixture = catalogFixture();
    const other = fixture.addSeller('Other shop');
    const words = ['code', 'cuisine', 'excel', 'design', 'crypto', 'écriture', 'cost', 'audio', 'garden', 'hobby'];
    for (let i = 0; i < 40; i++) {
      fixture.product(
        {
          title: `${words[i % 10]} ${words[(i * 3) % 10]} course`,
          description: `${words[(i * 7) % 10]} lessons, ${'long text '.repeat(i % 5 === 0 ? 300 : 1)}and ${words[(i + 1) % 10]}.`,
          price_cents: 500 + ((i * 37) % 20) * 100,
          category: i % 2 ? 'business' : 'design-creatif',
        },
        i % 3 ? fixture.seller : other,
      );
      fixture.clock.advance(1000);
    }
    return { ...fixture, otherId: other.role === 'seller' ? other.sellerId : 0 };
  }

  test('every sort, filter and page answers, with exactly the matching products, in order', () => {
    const { catalog, otherId } = shop();
    const all = catalog.listProducts({ limit: 100 }).items;
    const filterSets: [Partial<ListProductsInput>, (p: ProductView) => boolean][] = [
      [{}, () => true],
      [{ category: 'business' }, (p) => p.category.slug === 'business'],
      [{ seller: otherId }, (p) => p.seller.id === otherId],
      [{ min_price: 1000, max_price: 1800 }, (p) => p.price_cents >= 1000 && p.price_cents <= 1800],
      [
        { category: 'design-creatif', seller: otherId, min_price: 700 },
        (p) => p.category.slug === 'design-creatif' && p.seller.id === otherId && p.price_cents >= 700,
      ],
    ];
    for (const q of HOSTILE) {
      for (const sort of SORTS) {
        for (const [filters, keep] of filterSets) {
          const seen: ProductView[] = [];
          let cursor: string | undefined;
          do {
            const page = catalog.listProducts({ q, sort, limit: 4, cursor, ...filters });
            seen.push(...page.items);
            cursor = page.next_cursor ?? undefined;
          } while (cursor);
          const what = `${q.slice(0, 12)} ${sort} ${JSON.stringify(filters)}`;
          const expected = all.filter((p) => keep(p) && matches(p, q)).map((p) => p.id);
          expect(seen.map((p) => p.id).sort(), what).toEqual(expected.sort());
          if (sort !== 'relevance')
            expect(
              seen.map((p) => p.id),
              what,
            ).toEqual([...seen].sort(PAGES[sort]).map((p) => p.id));
        }
      }
    }
  });

  test('one-letter prefixes are ranked: a title match first, even among many description matches', () => {
    const { catalog, product } = catalogFixture();
    for (let i = 0; i < 20; i++)
      product({ title: `Garden plan ${i}`, description: `Compost, carrots and cabbage for bed ${i}.` });
    product({ title: 'Cabbage growing', description: 'Soil and water.' });
    for (const q of ['c', 'ca', 'c c c', 'c cab'])
      expect(titles(catalog.listProducts({ q, limit: 3 }))[0], q).toBe('Cabbage growing');
    expect(catalog.listProducts({ q: 'c', limit: 100 }).items).toHaveLength(21);
  });

  test('repeated words, prefixes of other words and one-letter words past the second add no term', () => {
    expect(toFtsQuery('é é é é é é é é é é')).toBe('"é"*');
    expect(toFtsQuery('b bi bit bitcoin')).toBe('"bitcoin"*');
    expect(toFtsQuery('a b c d e f g h i j')).toBe('"a"* "b"*');
    expect(toFtsQuery('e a s t rust i n o')).toBe('"e"* "a"* "rust"*');
    expect(toFtsQuery('é ab c')).toBe('"é"* "ab"* "c"*');
    expect(toFtsQuery('NEAR(a b) "c" OR d*')).toBe('"NEAR"* "a"* "b"* "OR"*');
  });

  test('a search reads the full-text index once, and products only through the covering index', () => {
    const { store } = catalogFixture();
    const filterNames: Shape['filters'] = ['categoryId', 'sellerId', 'minPrice', 'maxPrice'];
    const values = {
      match: '"c"*',
      limit: 10,
      categoryId: 1,
      sellerId: 1,
      minPrice: 1,
      maxPrice: 9,
      afterKey: 1,
      afterId: 'x',
    };
    for (let mask = 0; mask < 16; mask++) {
      for (const sort of SORTS) {
        for (const cursor of [false, true]) {
          const filters = filterNames.filter((_, i) => mask & (1 << i));
          const plan = store.sqlite
            .prepare<{ detail: string }, typeof values>(
              `EXPLAIN QUERY PLAN ${searchPageSql({ filters, sort, cursor })}`,
            )
            .all(values)
            .map((row) => row.detail);
          const what = `${filters.join(',')} ${sort} ${cursor}`;
          expect(
            plan.filter((d) => d.includes('products_fts')),
            what,
          ).toEqual(['SCAN products_fts VIRTUAL TABLE INDEX 0:M2']);
          expect(plan, what).toContain('MATERIALIZE hits');
          expect(
            plan.filter((d) => /\bproducts\b/.test(d) && !d.includes('products_fts')),
            what,
          ).toEqual([expect.stringMatching(/^SEARCH products USING COVERING INDEX products_search_idx \(status=\?/)]);
        }
      }
    }
  });
});

describe('catalog listing', () => {
  test('keyset pages neither repeat nor skip rows when products are added meanwhile', () => {
    const { catalog, product, clock } = catalogFixture();
    for (let i = 0; i < 25; i++) {
      product();
      clock.advance(1000);
    }
    const seen: string[] = [];
    let page = catalog.listProducts({ limit: 10 });
    seen.push(...page.items.map((p) => p.id));
    product({ title: 'Inserted while paging' });
    while (page.next_cursor) {
      page = catalog.listProducts({ limit: 10, cursor: page.next_cursor });
      seen.push(...page.items.map((p) => p.id));
    }
    expect(seen).toHaveLength(25);
    expect(new Set(seen).size).toBe(25);
  });

  test('every sort pages through all products exactly once, in order', () => {
    const { catalog, product, clock } = catalogFixture();
    for (let i = 0; i < 30; i++) {
      product({ price_cents: 500 + (i % 7) * 100 });
      clock.advance(10);
    }
    for (const sort of ['newest', 'bestsellers', 'price_asc', 'price_desc', 'rating'] as const) {
      const ids: string[] = [];
      const prices: number[] = [];
      let cursor: string | undefined;
      do {
        const page = catalog.listProducts({ sort, limit: 7, cursor });
        ids.push(...page.items.map((p) => p.id));
        prices.push(...page.items.map((p) => p.price_cents));
        cursor = page.next_cursor ?? undefined;
      } while (cursor);
      expect(new Set(ids).size, sort).toBe(30);
      if (sort === 'price_asc') expect(prices).toEqual([...prices].sort((a, b) => a - b));
      if (sort === 'price_desc') expect(prices).toEqual([...prices].sort((a, b) => b - a));
    }
  });

  test('filters by category, seller and price; rejects a cursor of another sort', () => {
    const { catalog, product, addSeller } = catalogFixture();
    const other = addSeller('Other');
    product({ category: 'design-creatif', price_cents: 900 });
    product({ price_cents: 5000 });
    product({ price_cents: 7000 }, other);
    expect(catalog.listProducts({ category: 'design-creatif' }).items).toHaveLength(1);
    expect(catalog.listProducts({ seller: other.role === 'seller' ? other.sellerId : 0 }).items).toHaveLength(1);
    expect(catalog.listProducts({ min_price: 1000, max_price: 6000 }).items.map((p) => p.price_cents)).toEqual([5000]);
    const first = catalog.listProducts({ limit: 1, sort: 'newest' });
    expect(() => catalog.listProducts({ sort: 'price_asc', cursor: first.next_cursor! })).toThrow(/invalid cursor/);
    expect(() => catalog.listProducts({ cursor: 'garbage' })).toThrow(/invalid cursor/);
    expect(() => catalog.listProducts({ category: 'nope' })).toThrow(/not found/);
  });

  test('categories count only active products', () => {
    const { catalog, product, seller } = catalogFixture();
    product({ category: 'business' });
    const off = product({ category: 'business' });
    catalog.deactivateProduct(seller, off.id);
    const business = catalog.listCategories().find((c) => c.slug === 'business');
    expect(business?.product_count).toBe(1);
  });
});

describe('product ownership', () => {
  test('only the owning seller or an admin may change a product; banned stays banned for the seller', () => {
    const { catalog, product, seller, admin, addSeller } = catalogFixture();
    const intruder = addSeller('Intruder');
    const mine = product();
    expect(() => catalog.updateProduct(intruder, mine.id, { price_cents: 1 })).toThrow(/only the seller/);
    expect(() => catalog.deactivateProduct(intruder, mine.id)).toThrow(/only the seller/);
    expect(catalog.updateProduct(seller, mine.id, { price_cents: 4200 }).price_cents).toBe(4200);
    expect(() => catalog.updateProduct(seller, mine.id, { status: 'banned' })).toThrow(/only an admin/);
    expect(catalog.updateProduct(admin, mine.id, { status: 'banned', status_reason: 'copyright' }).status).toBe(
      'banned',
    );
    expect(() => catalog.updateProduct(seller, mine.id, { status: 'active' })).toThrow(/banned by an administrator/);
    expect(() => catalog.getProduct(mine.id)).toThrow(/not found/);
    expect(catalog.getProduct(mine.id, seller).status).toBe('banned');
  });

  test('an admin must say for which seller a product is created', () => {
    const { catalog, admin, seller } = catalogFixture();
    const input = { title: 'Admin made', description: 'Made by the operator.', price_cents: 100, category: '1' };
    expect(() => catalog.createProduct(admin, input)).toThrow(/seller_id/);
    const made = catalog.createProduct(admin, { ...input, seller_id: seller.role === 'seller' ? seller.sellerId : 0 });
    expect(made.id).toMatch(/^TBF-2611-[A-HJ-NP-Z2-9]{6}$/);
    expect(made.category.slug).toBe('finance-crypto');
  });
});
