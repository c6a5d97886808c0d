import { tmpdir } from 'node:os';
import { afterEach, describe, expect, test } from 'bun:test';
import { join } from 'node:path';
import { createCache } from '../../src/lib/cache.ts';
import { AppError } from '../../src/lib/errors.ts';
import { createFileLookups } from '../../src/modules/files/service.ts';
import { createUsers } from '../../src/modules/users/service.ts';
import { createCatalogReader, type CatalogReader } from '../../src/modules/catalog/reader.ts';
import { createCatalog } from '../../src/modules/catalog/service.ts';
import { openStore, type Store } from '../../src/store/database.ts';
import { migrate } from '../../src/store/migrate.ts';
import { sellers } from '../../src/store/schema/index.ts';
import { fakeClock } from '../support/app.ts';
import { tempDir } from '../support/env.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

/** A catalog on a database file, its public pages read by the reader worker. */
function fileCatalog() {
  const dir = tempDir();
  const store: Store = openStore(join(dir.path, 'techbot.db'));
  migrate(store.db);
  const worker = createCatalogReader(join(dir.path, 'techbot.db'));
  /** What the worker was asked to read. */
  const asked: object[] = [];
  const reader: CatalogReader = {
    products: (input) => {
      asked.push(input);
      return worker.products(input);
    },
    close: () => worker.close(),
  };
  cleanups.push(
    dir.cleanup,
    () => store.close(),
    () => reader.close(),
  );
  const clock = fakeClock();
  const cache = createCache<string>({ name: 'test', ttlSeconds: 0, maxEntries: 10, clock });
  const lookups = { users: createUsers({ db: store.db, clock }), files: createFileLookups(store.db) };
  const deps = {
    db: store.db,
    cache,
    clock,
    storeCurrency: 'USD',
    dataDir: join(tmpdir(), 'techbot-catalog-fixture'),
    timed: <T>(_name: string, fn: () => T) => fn(),
    ...lookups,
  };
  const catalog = createCatalog({ ...deps, reader });
  const sellerId = store.db
    .insert(sellers)
    .values({ displayName: 'Ada', createdAt: clock.now(), updatedAt: clock.now() })
    .returning()
    .get().id;
  const product = (title: string, description = 'Lessons and exercises.') =>
    catalog.createProduct(
      { role: 'seller', keyId: 'k', sellerId },
      { title, description, price_cents: 1500, category: 'business' },
    );
  return { catalog, reader, product, asked };
}

describe('catalog reader (product pages off the event loop)', () => {
  test('serves the same pages as the listing on the main connection, each write visible to the next read', async () => {
    const { catalog, product } = fileCatalog();
    product('Cabbage growing');
    product('Garden plan', 'Compost and cabbage.');
    for (const input of [
      { q: 'cab' },
      { q: 'c', sort: 'price_asc' as const, limit: 1 },
      { category: 'business' },
      {},
    ]) {
      expect(await catalog.json.products(input)).toBe(JSON.stringify(catalog.listProducts(input)));
    }
    const added = product('Cabbage soup');
    const page = JSON.parse(await catalog.json.products({ q: 'cabbage soup' })) as { items: { id: string }[] };
    expect(page.items.map((p) => p.id)).toEqual([added.id]);
  });

  test('searches and filtered pages are read by the worker; a plain listing (one index walk) is read here', async () => {
    const { catalog, product, asked } = fileCatalog();
    product('Cabbage growing');
    const searched = [{ q: 'cab' }, { category: 'business' }, { seller: 1 }, { min_price: 1 }, { max_price: 9_999 }];
    const plain = [{}, { sort: 'price_asc' as const, limit: 1 }, { q: '  ' }];
    for (const input of [...searched, ...plain]) {
      expect(await catalog.json.products(input)).toBe(JSON.stringify(catalog.listProducts(input)));
    }
    expect(asked).toEqual(searched);
  });

  test('a refused listing arrives as the same AppError (code, message, details); hostile text never fails', async () => {
    const { catalog } = fileCatalog();
    const refused = await catalog.json.products({ min_price: 9, max_price: 1 }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ code: 'validation_failed', details: [{ in: 'query', field: 'min_price' }] });
    expect(await catalog.json.products({ category: 'nope' }).catch((e: AppError) => e.code)).toBe('not_found');
    for (const q of ['"', 'NEAR(', '*', 'é"*'.repeat(1250), 'x'.repeat(10_000)]) {
      expect(JSON.parse(await catalog.json.products({ q, sort: 'rating' }))).toEqual({ items: [], next_cursor: null });
    }
  });

  test('once closed, reads fail instead of waiting forever', async () => {
    const { catalog, reader } = fileCatalog();
    // A search: a plain listing is not read by the worker.
    const pending = catalog.json.products({ q: 'cabbage' });
    reader.close();
    await expect(pending).rejects.toThrow(/closed/);
    await expect(reader.products({})).rejects.toThrow(/closed/);
  });
});
