import type { Clock } from '../../lib/clock.ts';
import type { Catalog } from '../catalog/service.ts';
import type { SalesCursor, SellerSales } from '../orders/seller-sales.ts';
import type { Payouts } from './payouts.ts';

const DAY_MS = 86_400_000;
export const CHART_DAYS = 30;
/** Products whose rating counts in the seller's average: the first page of their active courses. */
const RATED_PRODUCTS = 100;

export interface DashboardDeps {
  clock: Clock;
  sales: SellerSales;
  payouts: Pick<Payouts, 'balance'>;
  catalog: Pick<Catalog, 'getProduct' | 'listProducts'>;
}

const figuresView = (f: ReturnType<SellerSales['figures']>) => ({
  sales: f.sales,
  revenue_cents: f.revenueCents,
  fee_cents: f.feeCents,
  net_cents: f.netCents,
});

/** A seller's figures, the same in the bot (/dashboard) and the API (/api/seller/...). */
export function createDashboard({ clock, sales, payouts, catalog }: DashboardDeps) {
  const midnight = (ms: number) => ms - (ms % DAY_MS);
  const titleOf = (sellerId: number, productId: string) => {
    try {
      return catalog.getProduct(productId, { role: 'seller', keyId: 'dashboard', sellerId }).title;
    } catch {
      return productId;
    }
  };

  function dashboard(sellerId: number) {
    const now = clock.now();
    const rated = catalog.listProducts({ seller: sellerId, limit: RATED_PRODUCTS }).items;
    const count = rated.reduce((n, p) => n + p.rating.count, 0);
    const sum = rated.reduce((n, p) => n + p.rating.average * p.rating.count, 0);
    return {
      today: figuresView(sales.figures(sellerId, midnight(now))),
      last_7_days: figuresView(sales.figures(sellerId, now - 7 * DAY_MS)),
      last_30_days: figuresView(sales.figures(sellerId, now - 30 * DAY_MS)),
      all_time: figuresView(sales.figures(sellerId)),
      balance: payouts.balance(sellerId),
      top: sales.top(sellerId).map((t) => ({
        product_id: t.productId,
        title: titleOf(sellerId, t.productId),
        sales: t.sales,
        revenue_cents: t.revenueCents,
      })),
      rating: { average: count === 0 ? 0 : Math.round((sum / count) * 10) / 10, count },
    };
  }

  /** The last 30 UTC days, today included. */
  function chartDays(sellerId: number) {
    const from = midnight(clock.now()) - (CHART_DAYS - 1) * DAY_MS;
    return sales.daily(sellerId, from, CHART_DAYS);
  }

  function salesPage(
    sellerId: number,
    options: { after?: SalesCursor; limit: number; sinceMs?: number; productId?: string },
  ) {
    return sales.page(sellerId, options).map((s) => ({
      order_id: s.orderId,
      product_id: s.productId,
      price_cents: s.priceCents,
      fee_cents: s.feeCents,
      seller_amount_cents: s.sellerAmountCents,
      currency: s.currency,
      payment_method: s.paymentMethod,
      paid_at: new Date(s.paidAt).toISOString(),
    }));
  }

  /** Every sale as CSV (RFC 4180), newest first, one page at a time under the hood. */
  function salesCsv(sellerId: number): string {
    const header = 'order_id,product_id,paid_at,price,fee,net,currency,payment_method';
    const lines = [header];
    const cents = (n: number) => (n / 100).toFixed(2);
    let after: SalesCursor | undefined;
    for (;;) {
      const page = sales.page(sellerId, { after, limit: 500 });
      for (const s of page) {
        lines.push(
          [
            s.orderId,
            s.productId,
            new Date(s.paidAt).toISOString(),
            cents(s.priceCents),
            cents(s.feeCents),
            cents(s.sellerAmountCents),
            s.currency,
            s.paymentMethod,
          ].join(','),
        );
      }
      if (page.length < 500) break;
      const last = page.at(-1)!;
      after = { paidAt: last.paidAt, orderId: last.orderId };
    }
    return `${lines.join('\r\n')}\r\n`;
  }

  return { dashboard, chartDays, salesPage, salesCsv };
}

export type Dashboard = ReturnType<typeof createDashboard>;
export type DashboardView = ReturnType<Dashboard['dashboard']>;
