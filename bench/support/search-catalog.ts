/**
 * A catalog for the search and memory benches, written straight into a database file before
 * the server under test opens it: products with deterministic pseudo-random titles and
 * descriptions (words of 3-10 letters over a 20,000-word vocabulary, so every letter starts
 * thousands of words), some with long descriptions. And the hostile searches an attacker
 * would send against it.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCache } from '../../src/lib/cache.ts';
import { createFileLookups } from '../../src/modules/files/service.ts';
import { createUsers } from '../../src/modules/users/service.ts';
import { createCatalog } from '../../src/modules/catalog/service.ts';
import type { ListProductsInput, Sort } from '../../src/modules/catalog/model.ts';
import { openStore } from '../../src/store/database.ts';
import { migrate } from '../../src/store/migrate.ts';

export interface CatalogShape {
  products: number;
  /** Every `longEvery`-th product gets a description of `longChars` characters. */
  longEvery: number;
  longChars: number;
  /** The other products' description length. */
  shortChars: number;
}

/** A linear congruential generator: the same catalog on every run. */
function random(seed: number) {
  let state = seed;
  return () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

function words(seed: number) {
  const next = random(seed);
  const vocabulary = Array.from({ length: 20_000 }, () => {
    let word = '';
    for (let i = 3 + Math.floor(next() * 8); i > 0; i--) word += LETTERS[Math.floor(next() * LETTERS.length)];
    return word;
  });
  return (chars: number) => {
    let text = '';
    while (text.length < chars) text += `${vocabulary[Math.floor(next() * vocabulary.length)]} `;
    return text.slice(0, chars).trim();
  };
}

/** Writes the catalog into `databasePath` (migrated); returns the seller's id. */
export function seedCatalog(databasePath: string, shape: CatalogShape): { sellerId: number } {
  const store = openStore(databasePath);
  try {
    migrate(store.db);
    const now = Date.now();
    const catalog = createCatalog({
      db: store.db,
      cache: createCache<string>({ name: 'seed', ttlSeconds: 0, maxEntries: 1 }),
      clock: { now: () => now },
      storeCurrency: 'USD',
      dataDir: join(tmpdir(), 'techbot-bench-catalog'),
      timed: (_name, fn) => fn(),
      users: createUsers({ db: store.db, clock: { now: () => now } }),
      files: createFileLookups(store.db),
    });
    const seller = store.sqlite
      .query("INSERT INTO sellers (display_name, created_at, updated_at) VALUES ('Bench shop', ?, ?) RETURNING id")
      .get(now, now) as { id: number };
    const principal = { role: 'seller' as const, keyId: 'bench', sellerId: seller.id };
    const text = words(42);
    store.sqlite.transaction(() => {
      for (let i = 0; i < shape.products; i++) {
        catalog.createProduct(principal, {
          title: text(40),
          description: text(i % shape.longEvery === 0 ? shape.longChars : shape.shortChars),
          price_cents: 100 + ((i * 37) % 20_000),
          category: String(1 + (i % 7)),
        });
      }
    })();
    return { sellerId: seller.id };
  } finally {
    store.close();
  }
}

export const SORTS: Sort[] = ['relevance', 'newest', 'bestsellers', 'price_asc', 'price_desc', 'rating'];

/**
 * What an attacker types: one-letter prefixes (alone and eight at once, the most expensive
 * query the tokenizer lets through), FTS5 operators and column filters, quotes, and 5 kB strings
 * (5,000 bytes of UTF-8; the longest URL, 12.5 kB encoded, stays under Bun's 16 kB limit).
 */
export const HOSTILE_QUERIES: string[] = [
  ...'acemstz7é'.split(''),
  'a b c d e f g h',
  'e a s t r i n o p q',
  'NEAR(a b)',
  'NEAR("c" "d", 0)',
  'a OR b OR c',
  '(a OR b) AND NOT c',
  '-a ^b',
  'title:c',
  '{title description}:a*',
  '"',
  '"""',
  "c'est l'a",
  '"c" "d"*',
  '*',
  'a*b*c*',
  'x'.repeat(5_000),
  'a '.repeat(2_500),
  'é"*'.repeat(1_250),
  Array.from({ length: 1_000 }, (_, i) => LETTERS[i % LETTERS.length]!.repeat(1 + (i % 4))).join(' '),
];

/** Filters in every combination the API accepts (`seller` and `category` are ids of the seed). */
export function filterSets(sellerId: number): Partial<ListProductsInput>[] {
  return [
    {},
    { category: '3' },
    { seller: sellerId },
    { min_price: 5_000 },
    { max_price: 3_000 },
    { min_price: 2_000, max_price: 18_000 },
    { category: '2', seller: sellerId, min_price: 1_000, max_price: 19_000 },
  ];
}

/** The query string of a listing input, as a client sends it. */
export function queryString(input: ListProductsInput): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(input)) if (value !== undefined) params.set(name, String(value));
  return params.toString();
}
