import { and, desc, eq, gte, inArray, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../../store/database.ts';
import { orders } from '../../store/schema/index.ts';

/** A sale is an order paid (delivered or not); refunded ones are the ledger's business. */
const SOLD = ['paid', 'delivered'] as const;

export interface SalesFigures {
  sales: number;
  revenueCents: number;
  feeCents: number;
  netCents: number;
}

export interface SaleRow {
  orderId: string;
  productId: string;
  priceCents: number;
  feeCents: number;
  sellerAmountCents: number;
  currency: string;
  paymentMethod: 'crypto' | 'stars';
  status: string;
  paidAt: number;
}

/** A keyset position in a seller's sales, newest first: (paid_at, order id). */
export interface SalesCursor {
  paidAt: number;
  orderId: string;
}

/** A seller's sales as figures, days, top products and pages, for the dashboard and the seller API. */
export function createSellerSales(db: Db) {
  const sold = (sellerId: number) =>
    and(eq(orders.sellerId, sellerId), inArray(orders.status, [...SOLD]), sql`${orders.paidAt} IS NOT NULL`);

  const sums = {
    sales: sql<number>`count(*)`,
    revenue: sql<number>`coalesce(sum(${orders.priceCents}), 0)`,
    fee: sql<number>`coalesce(sum(${orders.feeCents}), 0)`,
    net: sql<number>`coalesce(sum(${orders.sellerAmountCents}), 0)`,
  };
  const toFigures = (row: { sales: number; revenue: number; fee: number; net: number } | undefined) => ({
    sales: row?.sales ?? 0,
    revenueCents: row?.revenue ?? 0,
    feeCents: row?.fee ?? 0,
    netCents: row?.net ?? 0,
  });

  /** From `sinceMs`; of one product when `productId` is given (a seller's /mycourses). */
  function figures(sellerId: number, sinceMs = 0, productId?: string): SalesFigures {
    const row = db
      .select(sums)
      .from(orders)
      .where(and(sold(sellerId), gte(orders.paidAt, sinceMs), productId ? eq(orders.productId, productId) : undefined))
      .get();
    return toFigures(row);
  }

  /** All-time figures of each of these products, in one pass over the seller's sales (a page of courses). */
  function figuresByProduct(sellerId: number, productIds: readonly string[]): Map<string, SalesFigures> {
    const rows =
      productIds.length === 0
        ? []
        : db
            .select({ productId: orders.productId, ...sums })
            .from(orders)
            .where(and(sold(sellerId), inArray(orders.productId, [...productIds])))
            .groupBy(orders.productId)
            .all();
    const byId = new Map(rows.map((row) => [row.productId, row]));
    return new Map(productIds.map((id) => [id, toFigures(byId.get(id))]));
  }

  /** Sales and revenue per UTC day from `fromMs` (a midnight) for `days` days, empty days included. */
  function daily(
    sellerId: number,
    fromMs: number,
    days: number,
  ): { day: string; sales: number; revenueCents: number }[] {
    const rows = db
      .select({
        day: sql<string>`strftime('%Y-%m-%d', ${orders.paidAt} / 1000, 'unixepoch')`,
        sales: sql<number>`count(*)`,
        revenue: sql<number>`sum(${orders.priceCents})`,
      })
      .from(orders)
      .where(and(sold(sellerId), gte(orders.paidAt, fromMs), lt(orders.paidAt, fromMs + days * 86_400_000)))
      .groupBy(sql`1`)
      .all();
    const byDay = new Map(rows.map((r) => [r.day, r]));
    return Array.from({ length: days }, (_, i) => {
      const day = new Date(fromMs + i * 86_400_000).toISOString().slice(0, 10);
      const found = byDay.get(day);
      return { day, sales: found?.sales ?? 0, revenueCents: found?.revenue ?? 0 };
    });
  }

  function top(sellerId: number, limit = 5): { productId: string; sales: number; revenueCents: number }[] {
    return db
      .select({
        productId: orders.productId,
        sales: sql<number>`count(*)`,
        revenueCents: sql<number>`sum(${orders.priceCents})`,
      })
      .from(orders)
      .where(sold(sellerId))
      .groupBy(orders.productId)
      .orderBy(desc(sql`count(*)`), desc(sql`sum(${orders.priceCents})`))
      .limit(limit)
      .all();
  }

  /** One page of sales, newest first, after `cursor`. */
  function page(
    sellerId: number,
    options: { after?: SalesCursor; limit: number; sinceMs?: number; productId?: string },
  ): SaleRow[] {
    const { after } = options;
    return db
      .select({
        orderId: orders.id,
        productId: orders.productId,
        priceCents: orders.priceCents,
        feeCents: orders.feeCents,
        sellerAmountCents: orders.sellerAmountCents,
        currency: orders.currency,
        paymentMethod: orders.paymentMethod,
        status: orders.status,
        paidAt: sql<number>`${orders.paidAt}`,
      })
      .from(orders)
      .where(
        and(
          sold(sellerId),
          options.sinceMs !== undefined ? gte(orders.paidAt, options.sinceMs) : undefined,
          options.productId ? eq(orders.productId, options.productId) : undefined,
          after
            ? or(lt(orders.paidAt, after.paidAt), and(eq(orders.paidAt, after.paidAt), lt(orders.id, after.orderId)))
            : undefined,
        ),
      )
      .orderBy(desc(orders.paidAt), desc(orders.id))
      .limit(options.limit)
      .all();
  }

  return { figures, figuresByProduct, daily, top, page };
}

export type SellerSales = ReturnType<typeof createSellerSales>;
