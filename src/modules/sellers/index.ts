import type { Registry } from 'prom-client';
import type { Clock } from '../../lib/clock.ts';
import type { Db } from '../../store/database.ts';
import type { Catalog } from '../catalog/service.ts';
import type { CreateProductInput, ProductView } from '../catalog/model.ts';
import type { Orders } from '../orders/service.ts';
import { createDashboard } from './dashboard.ts';
import { createSellerMetrics } from './metrics.ts';
import { createPayouts } from './payouts.ts';
import { createSellerProfiles } from './service.ts';

export interface SellersModuleDeps {
  db: Db;
  clock: Clock;
  registry: Registry;
  /** The ledger (balances) comes from the orders module. */
  orders: Pick<Orders, 'sellerLedger' | 'sellerSales'>;
  /** Courses are put on sale through the catalog; titles and ratings come from it. */
  catalog: Pick<Catalog, 'createProduct' | 'getProduct' | 'listProducts'>;
  storeCurrency: string;
  /** PAYOUT_MIN, in minor units of the store currency. */
  payoutMinCents: number;
}

/**
 * Sellers: profiles (onboarding, payout address), balances read from the orders module's
 * ledger, payouts (requests by sellers; the pending queue, paid and rejected for the operator).
 * Owns the sellers and payouts tables.
 */
export function createSellersModule({ db, clock, registry, orders, catalog, storeCurrency, payoutMinCents }: SellersModuleDeps) {
  const metrics = createSellerMetrics(registry);
  const profiles = createSellerProfiles({ db, clock, metrics });
  const payouts = createPayouts({ db, clock, ledger: orders, metrics, currency: storeCurrency, minCents: payoutMinCents });
  const dashboard = createDashboard({ clock, sales: orders.sellerSales, payouts, catalog });

  /** A seller puts a course on sale (the catalog checks the seller is active). */
  function publishCourse(sellerId: number, input: CreateProductInput): ProductView {
    const product = catalog.createProduct({ role: 'seller', keyId: 'bot', sellerId }, input);
    metrics.published.inc();
    return product;
  }

  return {
    profiles,
    payouts,
    dashboard,
    publishCourse,
    /** STORE_CURRENCY: what balances and prices are in. */
    currency: storeCurrency,
    /** No background work yet; here for the shape every module shares. */
    registerJobs(_queue: unknown) {},
  };
}

export type SellersModule = ReturnType<typeof createSellersModule>;
