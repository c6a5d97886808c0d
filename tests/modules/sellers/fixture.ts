import type { Config } from '../../../src/config.ts';
import { createMetrics } from '../../../src/lib/metrics.ts';
import { createOrders } from '../../../src/modules/orders/service.ts';
import { createSellersModule, type SellersModuleDeps } from '../../../src/modules/sellers/index.ts';
import { createUsers } from '../../../src/modules/users/service.ts';
import { catalogFixture } from '../../support/catalog.ts';

export const BTC_ADDRESS = 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq';
export const ETH_ADDRESS = '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed';
export const PAYOUT_MIN_CENTS = 2000;
/** No SMTP: e-mails are kept unverified, nothing is sent. */
const noMail: SellersModuleDeps['notify'] = {
  enabled: false,
  sendNow: () => Promise.reject(new Error('no SMTP')),
  alert: () => false,
};

/** The sellers module over the real orders and catalog services on an in-memory database, or the file at `path` (fee 10 %). */
export function sellersFixture(path?: string, notify: SellersModuleDeps['notify'] = noMail) {
  const base = catalogFixture(undefined, undefined, path);
  const { db } = base.store;
  const metrics = createMetrics({ version: 'test' });
  const orders = createOrders({
    db,
    clock: base.clock,
    jobs: { enqueue: () => undefined },
    feePercent: 10,
    paymentWindowMs: 3_600_000,
    catalog: base.catalog,
  });
  const users = createUsers({ db, clock: base.clock });
  const config = { storeCurrency: 'USD', payoutMinCents: PAYOUT_MIN_CENTS } as Config;
  const { sellers } = createSellersModule({
    db,
    clock: base.clock,
    config,
    metrics,
    users,
    orders,
    catalog: base.catalog,
    notify,
  });
  let telegramId = 1000;
  const user = () => users.upsertTelegram({ telegramId: ++telegramId, firstName: 'Sam' });
  const onboard = (name = 'Sam Teaches') =>
    sellers.profiles.register(user().id, {
      display_name: name,
      bio: 'Courses.',
      payout_network: 'BTC',
      payout_address: BTC_ADDRESS,
    });
  /** A paid sale of a product of `sellerId` at `priceCents`; returns the order id. */
  const sell = (sellerId: number, priceCents: number) => {
    const product = sellers.publishCourse(sellerId, {
      title: `Course at ${priceCents}`,
      description: 'About things.',
      price_cents: priceCents,
      category: 'business',
    });
    const { order } = orders.create({ buyerId: user().id, productId: product.id, method: 'crypto' });
    orders.transition(order.id, { to: 'paid', actor: 'test' });
    return order.id;
  };
  const metric = async (name: string) => {
    const text = await metrics.registry.metrics();
    return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  };
  return { ...base, orders, users, sellers, user, onboard, sell, metric };
}
