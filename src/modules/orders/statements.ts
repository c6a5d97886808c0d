import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../store/database.ts';
import { preparedOnFirstUse } from '../../store/lazy-statement.ts';
import { entitlements, ledgerEntries, orderEvents, orders } from '../../store/schema/index.ts';

const p = sql.placeholder;

/**
 * The statements of an order's life that run on every payment (the IPN's transaction), each
 * prepared once on first use (store/lazy-statement.ts). They run on the store's connection, so inside
 * whatever transaction the caller opened on it.
 */
export function createOrderStatements(db: Db) {
  const byId = preparedOnFirstUse(() =>
    db
      .select()
      .from(orders)
      .where(eq(orders.id, p('id')))
      .prepare(),
  );

  /** Only the status, for the checks that need no more (a repeated IPN asks it of every order). */
  const statusById = preparedOnFirstUse(() =>
    db
      .select({ status: orders.status })
      .from(orders)
      .where(eq(orders.id, p('id')))
      .prepare(),
  );

  /** `paidAt`/`deliveredAt` null keep what the row has. */
  const move = preparedOnFirstUse(() =>
    db
      .update(orders)
      .set({
        status: sql`${p('to')}`,
        updatedAt: sql`${p('now')}`,
        paidAt: sql`coalesce(${p('paidAt')}, ${orders.paidAt})`,
        deliveredAt: sql`coalesce(${p('deliveredAt')}, ${orders.deliveredAt})`,
      })
      .where(eq(orders.id, p('id')))
      .returning()
      .prepare(),
  );

  const logEvent = preparedOnFirstUse(() =>
    db
      .insert(orderEvents)
      .values({
        orderId: p('orderId'),
        fromStatus: p('fromStatus'),
        toStatus: p('toStatus'),
        actor: p('actor'),
        reason: p('reason'),
        createdAt: p('now'),
      })
      .prepare(),
  );

  /** A buyer who was refunded and buys again gets the course back through this order. */
  const grant = preparedOnFirstUse(() =>
    db
      .insert(entitlements)
      .values({ userId: p('userId'), productId: p('productId'), orderId: p('orderId'), createdAt: p('now') })
      .onConflictDoUpdate({
        target: [entitlements.userId, entitlements.productId],
        set: { orderId: sql`excluded.order_id`, revokedAt: null, createdAt: sql`excluded.created_at` },
        setWhere: sql`${entitlements.revokedAt} IS NOT NULL`,
      })
      .prepare(),
  );

  /** The seller's share and the platform's fee of one order, in one statement. */
  const book = preparedOnFirstUse(() => {
    const entry = { orderId: p('orderId'), currency: p('currency'), createdAt: p('now') };
    return db
      .insert(ledgerEntries)
      .values([
        {
          ...entry,
          account: p('sellerAccount'),
          sellerId: p('sellerId'),
          kind: p('sellerKind'),
          amountCents: p('seller'),
        },
        { ...entry, account: 'platform', kind: p('platformKind'), amountCents: p('fee') },
      ])
      .prepare();
  });

  return { byId, statusById, move, logEvent, grant, book };
}

export type OrderStatements = ReturnType<typeof createOrderStatements>;
