import type { ModuleBase } from '../base.ts';
import type { Files } from '../files/service.ts';
import type { Orders } from '../orders/service.ts';
import type { Users } from '../users/service.ts';
import { createCatalogModeration } from './moderation.ts';
import { createCatalogReader } from './reader.ts';
import { createReviews } from './reviews.ts';
import { createCatalog } from './service.ts';

export interface CatalogModuleDeps extends ModuleBase {
  files: Pick<Files, 'get' | 'summaries'>;
  users: Pick<Users, 'seller' | 'sellerNames' | 'authorNames'>;
  /** The database file: public listings are read from it in a worker; ':memory:' reads them here. */
  databasePath: string;
}

/**
 * Categories, products, search, reviews. Owns the tables `categories`, `products` (and its FTS
 * index), `reviews`. Built in two steps: orders need the catalog (price, sales count), while
 * reviews need the orders (only owners review), which come later.
 */
export function createCatalogModule(deps: CatalogModuleDeps) {
  const { db, clock, config, metrics, cache, files, users, databasePath } = deps;
  const reader = databasePath === ':memory:' ? undefined : createCatalogReader(databasePath);
  const { storeCurrency } = config;
  const catalog = createCatalog({
    db,
    cache,
    clock,
    storeCurrency,
    dataDir: config.dataDir,
    timed: metrics.timed,
    reader,
    files,
    users,
  });
  return {
    catalog,
    close: () => reader?.close(),
    /** The operator's side (admin module): take-downs and restores, a suspended seller's courses hidden. */
    operator: { catalogModeration: createCatalogModeration({ db, clock, invalidate: catalog.invalidateProduct }) },
    /** The second step, once orders exist. */
    createReviews: (owns: Orders['owns']) => createReviews({ db, clock, owns, invalidate: catalog.invalidateProduct }),
  };
}
