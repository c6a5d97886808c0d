import { inArray, sql } from 'drizzle-orm';
import { Gauge, type Registry } from '../../lib/prom.ts';
import type { Db } from '../../store/database.ts';
import { orders, orderStatuses } from '../../store/schema/index.ts';

/** Orders whose money the shop kept: a refunded order leaves the sums again. */
const EARNED = ['paid', 'delivered'] as const;

/**
 * Orders by status and the money paid orders brought in, read from the orders table when
 * Prometheus scrapes (small GROUP BYs): every process reports the same shared table,
 * and nothing is lost or counted twice across restarts, as a counter in memory would be.
 */
export function createOrderMetrics(registry: Registry, db: Db) {
  const registers = [registry];
  // Every currency that has orders gets a value, 0 until one is paid or after all were refunded.
  const earned = (column: typeof orders.priceCents | typeof orders.feeCents) =>
    db
      .select({
        currency: orders.currency,
        cents: sql<number>`coalesce(sum(case when ${inArray(orders.status, EARNED)} then ${column} end), 0)`,
      })
      .from(orders)
      .groupBy(orders.currency)
      .all();
  new Gauge({
    name: 'orders_by_status',
    help: 'Orders in the database, by status.',
    labelNames: ['status'],
    registers,
    collect() {
      const rows = db
        .select({ status: orders.status, n: sql<number>`count(*)` })
        .from(orders)
        .groupBy(orders.status)
        .all();
      const counts = new Map(rows.map((row) => [row.status, row.n]));
      for (const status of orderStatuses) this.set({ status }, counts.get(status) ?? 0);
    },
  });
  new Gauge({
    name: 'orders_sales_cents',
    help: 'Sum of the prices of paid or delivered orders (refunds excluded), in minor units, by currency.',
    labelNames: ['currency'],
    registers,
    collect() {
      for (const row of earned(orders.priceCents)) this.set({ currency: row.currency }, row.cents);
    },
  });
  new Gauge({
    name: 'orders_fees_cents',
    help: 'Platform fees of paid or delivered orders (refunds excluded), in minor units, by currency.',
    labelNames: ['currency'],
    registers,
    collect() {
      for (const row of earned(orders.feeCents)) this.set({ currency: row.currency }, row.cents);
    },
  });
}
