import { expect, test } from 'bun:test';
import { Registry } from 'prom-client';
import { createOrderMetrics } from '../../src/modules/orders/metrics.ts';
import { createOrders } from '../../src/modules/orders/service.ts';
import { createUsers } from '../../src/modules/users/service.ts';
import { catalogFixture } from '../support/catalog.ts';

test('orders by status and the money of paid orders are read from the table at each scrape', async () => {
  const base = catalogFixture();
  const orders = createOrders({
    db: base.store.db,
    clock: base.clock,
    jobs: { enqueue: () => undefined },
    feePercent: 5,
    paymentWindowMs: 3_600_000,
    catalog: base.catalog,
  });
  const users = createUsers({ db: base.store.db, clock: base.clock });
  const registry = new Registry();
  createOrderMetrics(registry, base.store.db);

  const before = await registry.metrics();
  expect(before).toContain('orders_by_status{status="awaiting_payment"} 0\n');
  expect(before).not.toContain('orders_sales_cents{');

  const buyer = (id: number) => users.upsertTelegram({ telegramId: id, firstName: 'Bea', languageCode: 'en' }).id;
  const order = (telegramId: number, price: number) =>
    orders.create({ buyerId: buyer(telegramId), productId: base.product({ price_cents: price }).id, method: 'crypto' })
      .order.id;
  const pay = (id: string) => orders.transition(id, { to: 'paid', actor: 'test' });
  order(1, 1000);
  const paid = order(2, 4000);
  pay(paid);
  const refunded = order(3, 2000);
  pay(refunded);
  orders.transition(refunded, { to: 'refunded', actor: 'test' });

  const after = await registry.metrics();
  expect(after).toContain('orders_by_status{status="awaiting_payment"} 1\n');
  expect(after).toContain('orders_by_status{status="paid"} 1\n');
  expect(after).toContain('orders_by_status{status="refunded"} 1\n');
  expect(after).toContain('orders_by_status{status="delivered"} 0\n');
  expect(after).toContain('orders_sales_cents{currency="USD"} 4000\n');
  expect(after).toContain('orders_fees_cents{currency="USD"} 200\n');

  orders.transition(paid, { to: 'refunded', actor: 'test' });
  expect(await registry.metrics()).toContain('orders_sales_cents{currency="USD"} 0\n');
});
