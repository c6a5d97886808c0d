import type { Clock } from '../../lib/clock.ts';
import type { Catalog } from '../catalog/service.ts';
import type { OrderStats } from '../orders/stats.ts';
import type { SupportInbox } from '../support/inbox.ts';
import type { UserStats } from '../users/stats.ts';

export const PERIODS = ['today', '7d', '30d', 'all'] as const;
export type Period = (typeof PERIODS)[number];
const DAY_MS = 86_400_000;
export const CHART_DAYS = 30;

export interface StatsDeps {
  clock: Clock;
  orders: OrderStats;
  users: UserStats;
  inbox: Pick<SupportInbox, 'openCount'>;
  catalog: Pick<Catalog, 'productFile'>;
  /** Jobs that gave up (the queue's `dead` count). */
  deadJobs: () => number;
  /** Flagged payment notifications waiting for the operator. */
  flaggedPayments: () => number;
  /** Payout requests waiting for the operator: how many, and what they add up to. */
  pendingPayouts: () => { count: number; amount_cents: number; currency: string };
}

/** The operator's dashboard over a period: every figure comes from its own module's service. */
export function createAdminStats(deps: StatsDeps) {
  function since(period: Period): number {
    const now = deps.clock.now();
    const midnight = Math.floor(now / DAY_MS) * DAY_MS;
    return period === 'today'
      ? midnight
      : period === '7d'
        ? midnight - 6 * DAY_MS
        : period === '30d'
          ? midnight - 29 * DAY_MS
          : 0;
  }

  function stats(period: Period) {
    const from = since(period);
    const o = deps.orders.summary(from);
    return {
      period,
      since: new Date(from).toISOString(),
      orders_by_status: o.byStatus,
      orders_created: o.created,
      orders_paid: o.paid,
      revenue_cents: o.revenueCents,
      fee_cents: o.feeCents,
      conversion: o.created === 0 ? 0 : Math.round((o.paid / o.created) * 1000) / 1000,
      new_users: deps.users.newUsers(from),
      new_sellers: deps.users.newSellers(from),
      top_courses: o.topProducts.map((p) => ({
        id: p.id,
        title: deps.catalog.productFile(p.id)?.title ?? p.id,
        sales: p.sales,
        revenue_cents: p.revenueCents,
      })),
      top_sellers: o.topSellers.map((s) => ({ id: s.id, sales: s.sales, revenue_cents: s.revenueCents })),
      open_tickets: deps.inbox.openCount(),
      dead_jobs: deps.deadJobs(),
      flagged_payments: deps.flaggedPayments(),
      pending_payouts: deps.pendingPayouts(),
      daily: deps.orders
        .daily(deps.clock.now(), CHART_DAYS)
        .map((d) => ({ day: d.day, sales: d.sales, revenue_cents: d.revenueCents })),
    };
  }

  return { stats };
}

export type AdminStats = ReturnType<typeof createAdminStats>;
export type StatsView = ReturnType<AdminStats['stats']>;
