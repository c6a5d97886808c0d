import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCache } from '../../src/lib/cache.ts';
import type { Clock } from '../../src/lib/clock.ts';
import { createCatalog } from '../../src/modules/catalog/service.ts';
import { createFileLookups } from '../../src/modules/files/service.ts';
import { createOrders } from '../../src/modules/orders/service.ts';
import { createUsers } from '../../src/modules/users/service.ts';
import type { Principal } from '../../src/modules/users/model.ts';
import { openStore } from '../../src/store/database.ts';
import { migrate } from '../../src/store/migrate.ts';
import { sellers } from '../../src/store/schema/index.ts';
import { fakeClock } from './env.ts';

/** A catalog service on an in-memory database (or the file at `path`), with a seller ready to sell. */
export function catalogFixture(
  clock: Clock & { advance(ms: number): void } = fakeClock(),
  ttlSeconds = 3600,
  path = ':memory:',
) {
  const store = openStore(path);
  migrate(store.db);
  const cache = createCache<string>({ name: 'test', ttlSeconds, maxEntries: 1000, clock });
  const users = createUsers({ db: store.db, clock });
  const files = createFileLookups(store.db);
  const catalog = createCatalog({
    db: store.db,
    cache,
    clock,
    storeCurrency: 'USD',
    dataDir: join(tmpdir(), 'techbot-catalog-fixture'),
    timed: (_name, fn) => fn(),
    files,
    users,
  });
  const addSeller = (name: string): Principal => {
    const now = clock.now();
    const id = store.db
      .insert(sellers)
      .values({ displayName: name, createdAt: now, updatedAt: now })
      .returning()
      .get().id;
    return { role: 'seller', keyId: `k${id}`, sellerId: id };
  };
  const seller = addSeller('Ada Academy');
  const admin: Principal = { role: 'admin', keyId: 'env' };
  let n = 0;
  const product = (overrides: Partial<Parameters<typeof catalog.createProduct>[1]> = {}, by: Principal = seller) =>
    catalog.createProduct(by, {
      title: `Course number ${++n}`,
      description: 'A practical course with exercises.',
      price_cents: 1000 + n,
      category: 'business',
      ...overrides,
    });
  return { store, cache, catalog, clock, seller, admin, addSeller, product };
}

/** The orders service over a catalog fixture, jobs dropped (5% fee, a one-hour payment window). */
export function ordersOn(base: ReturnType<typeof catalogFixture>) {
  return createOrders({
    db: base.store.db,
    clock: base.clock,
    jobs: { enqueue: () => 0 },
    feePercent: 5,
    paymentWindowMs: 3_600_000,
    catalog: base.catalog,
  });
}
