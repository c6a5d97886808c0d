import { and, count, desc, gte, inArray, isNull, sql, sum } from 'drizzle-orm';
import type { Db } from '../../store/database.ts';
import { entitlements, orders, type OrderStatus } from '../../store/schema/index.ts';

/** Sales that still count: paid or delivered (a refunded order is no revenue). */
const SOLD: OrderStatus[] = ['paid', 'delivered'];
const DAY_MS = 86_400_000;

/** admin (stats): what the operator's dashboard needs from the orders, in one place. */
export function createOrderStats({ db }: { db: Db }) {
  function summary(since: number, top = 5) {
    const byStatus = Object.fromEntries(
      db
        .select({ status: orders.status, n: count() })
        .from(orders)
        .where(gte(orders.createdAt, since))
        .groupBy(orders.status)
        .all()
        .map((r) => [r.status, r.n]),
    ) as Partial<Record<OrderStatus, number>>;
    const sold = and(inArray(orders.status, SOLD), gte(orders.paidAt, since));
    const totals = db
      .select({
        n: count(),
        revenue: sum(orders.priceCents).mapWith(Number),
        fees: sum(orders.feeCents).mapWith(Number),
      })
      .from(orders)
      .where(sold)
      .get()!;
    const topBy = <K extends typeof orders.productId | typeof orders.sellerId>(column: K) =>
      db
        .select({ id: column, sales: count(), revenueCents: sum(orders.priceCents).mapWith(Number) })
        .from(orders)
        .where(sold)
        .groupBy(column)
        .orderBy(desc(sql`count(*)`), desc(sql`sum(${orders.priceCents})`))
        .limit(top)
        .all();
    return {
      byStatus,
      created: Object.values(byStatus).reduce((a, b) => a + (b ?? 0), 0),
      paid: totals.n,
      revenueCents: totals.revenue ?? 0,
      feeCents: totals.fees ?? 0,
      topProducts: topBy(orders.productId) as { id: string; sales: number; revenueCents: number }[],
      topSellers: topBy(orders.sellerId) as { id: number; sales: number; revenueCents: number }[],
    };
  }

  /** Sales and revenue per UTC day, `days` days ending with the day of `now`. */
  function daily(now: number, days: number) {
    const first = Math.floor(now / DAY_MS) * DAY_MS - (days - 1) * DAY_MS;
    const rows = db
      .select({
        day: sql<number>`(${orders.paidAt} / ${DAY_MS})`.mapWith(Number),
        n: count(),
        revenue: sum(orders.priceCents).mapWith(Number),
      })
      .from(orders)
      .where(and(inArray(orders.status, SOLD), gte(orders.paidAt, first)))
      .groupBy(sql`${orders.paidAt} / ${DAY_MS}`)
      .all();
    const byDay = new Map(rows.map((r) => [Math.floor(r.day), r]));
    return Array.from({ length: days }, (_, i) => {
      const day = first / DAY_MS + i;
      const row = byDay.get(day);
      return {
        day: new Date(day * DAY_MS).toISOString().slice(0, 10),
        sales: row?.n ?? 0,
        revenueCents: row?.revenue ?? 0,
      };
    });
  }

  /** admin (broadcast): everyone who owns at least one course now. */
  function buyerIds(): number[] {
    return db
      .selectDistinct({ id: entitlements.userId })
      .from(entitlements)
      .where(isNull(entitlements.revokedAt))
      .all()
      .map((r) => r.id);
  }

  return { summary, daily, buyerIds };
}

export type OrderStats = ReturnType<typeof createOrderStats>;
