import { and, count, desc, eq, sql } from 'drizzle-orm';
import { normalizeProductId } from '../../lib/ids.ts';
import type { Db } from '../../store/database.ts';
import { orderEvents, orders, type OrderStatus } from '../../store/schema/index.ts';
import type { AdminOrdersInput } from './model.ts';

/** The orders as the operator looks through them (the admin module's screens and API). */
export function createOperatorReads(db: Db) {
  function list(filters: AdminOrdersInput) {
    return db
      .select()
      .from(orders)
      .where(
        and(
          filters.status ? eq(orders.status, filters.status) : undefined,
          filters.product_id ? eq(orders.productId, normalizeProductId(filters.product_id)) : undefined,
          filters.buyer_id ? eq(orders.buyerId, filters.buyer_id) : undefined,
        ),
      )
      .orderBy(desc(orders.createdAt))
      .limit(filters.limit ?? 50)
      .all();
  }

  /** How many orders are in `status`, counted up to `upTo` (a screen that shows "100+" never counts the whole table). */
  function countWithStatus(status: OrderStatus, upTo: number): number {
    const capped = db.select({ one: sql`1` }).from(orders).where(eq(orders.status, status)).limit(upTo).as('capped');
    return db.select({ n: count() }).from(capped).get()?.n ?? 0;
  }

  function events(id: string) {
    return db.select().from(orderEvents).where(eq(orderEvents.orderId, id)).orderBy(orderEvents.id).all();
  }

  return { list, countWithStatus, events };
}
