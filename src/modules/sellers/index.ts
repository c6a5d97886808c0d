import type { CreateProductInput, ProductView } from '../catalog/model.ts';
import type { CoverInput } from '../catalog/covers.ts';
import type { Catalog } from '../catalog/service.ts';
import type { ModuleBase } from '../base.ts';
import type { Orders } from '../orders/service.ts';
import type { Users } from '../users/service.ts';
import type { Notify } from '../notify/index.ts';
import { createSellerCourses } from './courses.ts';
import { createDashboard } from './dashboard.ts';
import { createEmailCodes } from './email-codes.ts';
import { createSellerMetrics } from './metrics.ts';
import { createPayouts } from './payouts.ts';
import { createSellerProfiles, type SellerAccounts } from './service.ts';

export interface SellersModuleDeps extends Pick<ModuleBase, 'db' | 'clock' | 'config' | 'metrics'> {
  /** Seller accounts are the users module's rows (API keys create sellers too); names for the payout queue. */
  users: SellerAccounts & Pick<Users, 'sellerNames'>;
  /** The ledger (balances) and the sales come from the orders module. */
  orders: Pick<Orders, 'sellerLedger' | 'sellerSales'>;
  /** Courses are put on sale through the catalog; titles and ratings come from it. */
  catalog: Pick<
    Catalog,
    | 'createProduct'
    | 'getProduct'
    | 'listProducts'
    | 'sellerCourses'
    | 'sellerCourse'
    | 'updateProduct'
    | 'deleteProduct'
    | 'setCover'
  >;
  /** E-mail codes to sellers, and the admin's e-mail on a payout request. */
  notify: Pick<Notify, 'enabled' | 'sendNow' | 'alert'>;
}

/**
 * Sellers: profiles (onboarding, payout address), balances read from the orders module's
 * ledger, payouts (requests by sellers; the pending queue, paid and rejected for the operator).
 * Owns the table `payouts`; the `sellers` rows it reads and writes through the users service.
 */
export function createSellersModule({
  db,
  clock,
  config,
  metrics: app,
  users,
  orders,
  catalog,
  notify,
}: SellersModuleDeps) {
  const metrics = createSellerMetrics(app.registry);
  const currency = config.storeCurrency;
  const codes = createEmailCodes({ db, clock, notify });
  const profiles = createSellerProfiles({ users, metrics, codes, clock });
  const payouts = createPayouts({
    db,
    clock,
    ledger: orders,
    users,
    metrics,
    currency,
    minCents: config.payoutMinCents,
    alert: notify.alert,
  });
  const dashboard = createDashboard({ clock, sales: orders.sellerSales, payouts, catalog });

  /** A seller puts a course on sale (the catalog checks the seller is active); `cover`: the photo sent in the bot. */
  function publishCourse(sellerId: number, input: CreateProductInput, cover?: CoverInput): ProductView {
    const product = catalog.createProduct({ role: 'seller', keyId: 'bot', sellerId }, input, cover);
    metrics.published.inc();
    return product;
  }

  return {
    sellers: {
      profiles,
      payouts,
      dashboard,
      publishCourse,
      /** The seller's own courses (/mycourses). */
      courses: createSellerCourses({ catalog, sales: orders.sellerSales }),
      /** STORE_CURRENCY: what balances and prices are in. */
      currency,
    },
  };
}

export type Sellers = ReturnType<typeof createSellersModule>['sellers'];
