import { and, desc, eq, inArray, lt, sql } from 'drizzle-orm';
import { type Clock, isoOrNull } from '../../lib/clock.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { randomToken } from '../../lib/ids.ts';
import { feeCents } from '../../lib/money.ts';
import type { Db, Tx } from '../../store/database.ts';
import { entitlements, orderEvents, orders, type OrderStatus } from '../../store/schema/index.ts';
import type { Catalog } from '../catalog/service.ts';
import { createLedgerReader } from './ledger.ts';
import { createOperatorReads } from './operator-reads.ts';
import { createOrderStatements } from './statements.ts';
import { createSellerSales } from './seller-sales.ts';
import type { OrderView } from './model.ts';
import { createLibrary } from './library.ts';
import { canMove, OPEN_STATUSES } from './state.ts';

export type { Purchase } from './library.ts';

export type OrderRow = typeof orders.$inferSelect;

/** What the orders module needs from the queue: enqueue inside its own transaction. */
export interface JobSink {
  enqueue(kind: string, payload: unknown, options: { uniqueKey?: string; tx?: Tx }): unknown;
}

export interface OrdersDeps {
  db: Db;
  clock: Clock;
  jobs: JobSink;
  feePercent: number;
  /** How long a buyer has to pay before the order expires. */
  paymentWindowMs: number;
  /** The product an order is for (price frozen, sales counted, shown in the buyer's library). */
  catalog: Pick<Catalog, 'productTerms' | 'countSale' | 'libraryCards'>;
}

export interface Transition {
  to: OrderStatus;
  /** Who moved it: `ipn:nowpayments`, `reconcile`, `admin:<key>`, `user:<id>`, `system`. */
  actor: string;
  reason?: string;
}

export function toOrderView(row: OrderRow): OrderView {
  return {
    id: row.id,
    status: row.status,
    product_id: row.productId,
    buyer_id: row.buyerId,
    seller_id: row.sellerId,
    payment_method: row.paymentMethod,
    price_cents: row.priceCents,
    fee_cents: row.feeCents,
    currency: row.currency,
    created_at: new Date(row.createdAt).toISOString(),
    updated_at: new Date(row.updatedAt).toISOString(),
    paid_at: isoOrNull(row.paidAt),
    delivered_at: isoOrNull(row.deliveredAt),
    expires_at: isoOrNull(row.expiresAt),
  };
}

const orderId = (now: number) => {
  const d = new Date(now);
  return `ORD-${String(d.getUTCFullYear() % 100).padStart(2, '0')}${String(d.getUTCMonth() + 1).padStart(2, '0')}-${randomToken(8)}`;
};

/**
 * The order lifecycle. Every change is one transaction that also writes its `order_events`
 * row; reaching `paid` additionally grants the entitlement, books the ledger and enqueues
 * delivery, all or nothing.
 */
export function createOrders({ db, clock, jobs, feePercent, paymentWindowMs, catalog }: OrdersDeps) {
  const statements = createOrderStatements(db);

  /**
   * The order, or undefined. The statement runs on the store's one connection, so inside the
   * caller's transaction when there is one (`tx` only says so).
   */
  function find(id: string, _tx?: Tx | Db): OrderRow | undefined {
    return statements.byId.get({ id });
  }

  function statusOf(id: string): OrderRow['status'] | undefined {
    return statements.statusById.get({ id })?.status;
  }

  function get(id: string, tx: Tx | Db = db): OrderRow {
    const row = find(id, tx);
    if (!row) throw notFound(`order ${id}`);
    return row;
  }

  function owns(buyerId: number, productId: string): boolean {
    const row = db
      .select({ id: entitlements.id })
      .from(entitlements)
      .where(
        and(
          eq(entitlements.userId, buyerId),
          eq(entitlements.productId, productId),
          sql`${entitlements.revokedAt} IS NULL`,
        ),
      )
      .get();
    return row !== undefined;
  }

  /**
   * An order for a product at today's price. A buyer who owns the product is told so; an
   * unfinished order for the same product and method is handed back instead of a second one.
   */
  function create(input: { buyerId: number; productId: string; method: 'crypto' | 'stars'; starsAmount?: number }) {
    return db.transaction(
      (tx) => {
        const product = catalog.productTerms(input.productId, tx);
        if (product?.status !== 'active') throw notFound(`product ${input.productId}`);
        if (owns(input.buyerId, product.id)) {
          throw new AppError('conflict', 'you already own this course; find it in your library', {
            reason: 'already_owned',
          });
        }
        const now = clock.now();
        const open = tx
          .select()
          .from(orders)
          .where(
            and(
              eq(orders.buyerId, input.buyerId),
              eq(orders.productId, product.id),
              eq(orders.paymentMethod, input.method),
              inArray(orders.status, [...OPEN_STATUSES]),
              sql`(${orders.expiresAt} IS NULL OR ${orders.expiresAt} > ${now})`,
            ),
          )
          .orderBy(desc(orders.createdAt))
          .get();
        if (open) return { order: open, reused: true };
        const fee = feeCents(product.priceCents, feePercent);
        const row = tx
          .insert(orders)
          .values({
            id: orderId(now),
            buyerId: input.buyerId,
            productId: product.id,
            sellerId: product.sellerId,
            status: 'awaiting_payment',
            paymentMethod: input.method,
            priceCents: product.priceCents,
            currency: product.currency,
            feeCents: fee,
            sellerAmountCents: product.priceCents - fee,
            starsAmount: input.starsAmount ?? null,
            expiresAt: now + paymentWindowMs,
            createdAt: now,
            updatedAt: now,
          })
          .returning()
          .get();
        tx.insert(orderEvents)
          .values({
            orderId: row.id,
            fromStatus: null,
            toStatus: 'awaiting_payment',
            actor: `user:${input.buyerId}`,
            createdAt: now,
          })
          .run();
        return { order: row, reused: false };
      },
      { behavior: 'immediate' },
    );
  }

  /** The seller's share and the platform fee (together the price); a refund books them negative. */
  function book(order: OrderRow, now: number, what: 'sale' | 'refund') {
    const sign = what === 'sale' ? 1 : -1;
    statements.book.run({
      orderId: order.id,
      currency: order.currency,
      now,
      sellerAccount: `seller:${order.sellerId}`,
      sellerId: order.sellerId,
      sellerKind: what,
      seller: sign * order.sellerAmountCents,
      platformKind: what === 'sale' ? 'fee' : 'refund',
      fee: sign * order.feeCents,
    });
  }

  /** Books a sale: entitlement, ledger (seller share + platform fee = price), jobs. */
  function onPaid(tx: Tx, order: OrderRow, now: number) {
    statements.grant.run({ userId: order.buyerId, productId: order.productId, orderId: order.id, now });
    book(order, now, 'sale');
    catalog.countSale(order.productId, tx);
    jobs.enqueue('deliver', { orderId: order.id }, { uniqueKey: `deliver:${order.id}`, tx });
    // No key needed: an order becomes paid at most once (no move leads back to `paid`, state.ts),
    // and a job without a key writes no entry in the keys' index, 1.3 pages less per paid order.
    jobs.enqueue('notify-sale', { orderId: order.id }, { tx });
  }

  /** A refund takes the course back and reverses what the sale booked. */
  function onRefunded(tx: Tx, order: OrderRow, now: number) {
    // The buyer's entitlement to the product (one per buyer and product), if this order granted it.
    tx.update(entitlements)
      .set({ revokedAt: now })
      .where(
        and(
          eq(entitlements.userId, order.buyerId),
          eq(entitlements.productId, order.productId),
          eq(entitlements.orderId, order.id),
          sql`${entitlements.revokedAt} IS NULL`,
        ),
      )
      .run();
    book(order, now, 'refund');
  }

  /**
   * Moves an order if the state machine allows it, inside the caller's transaction when
   * one is given. Returns whether anything changed; a disallowed move changes nothing.
   */
  function transition(
    id: string,
    change: Transition,
    outer?: Tx,
    /** The order as the caller just read it in `outer` (saves reading it again). */
    current?: OrderRow,
  ): { changed: boolean; order: OrderRow } {
    const run = (tx: Tx) => {
      const order = outer && current?.id === id ? current : get(id, tx);
      if (order.status === change.to || !canMove(order.status, change.to)) return { changed: false, order };
      const now = clock.now();
      const updated = statements.move.get({
        id,
        to: change.to,
        now,
        paidAt: change.to === 'paid' ? now : null,
        deliveredAt: change.to === 'delivered' ? now : null,
      }) as OrderRow;
      statements.logEvent.run({
        orderId: id,
        fromStatus: order.status,
        toStatus: change.to,
        actor: change.actor,
        reason: change.reason ?? null,
        now,
      });
      if (change.to === 'paid' && order.paidAt === null) onPaid(tx, updated, now);
      if (change.to === 'refunded' && order.paidAt !== null) onRefunded(tx, updated, now);
      return { changed: true, order: updated };
    };
    return outer ? run(outer) : db.transaction(run, { behavior: 'immediate' });
  }

  /** Inside the caller's transaction when one is given (the operator's audit row goes with it). */
  function acceptPartial(id: string, actor: string, tx?: Tx) {
    const order = get(id, tx);
    if (order.status !== 'partially_paid') {
      throw new AppError('conflict', `only a partially paid order can be accepted; this one is ${order.status}`);
    }
    return transition(id, { to: 'paid', actor, reason: 'partial payment accepted by an admin' }, tx).order;
  }

  /**
   * The operator will not deliver for what arrived: the order is cancelled with the reason (what
   * the buyer sent is returned outside the shop). Money arriving later still pays it (state.ts).
   */
  function refusePartial(id: string, actor: string, reason: string, tx?: Tx) {
    const order = get(id, tx);
    if (order.status !== 'partially_paid') {
      throw new AppError('conflict', `only a partially paid order can be refused; this one is ${order.status}`);
    }
    return transition(id, { to: 'cancelled', actor, reason: `partial payment refused: ${reason}` }, tx).order;
  }

  function cancel(id: string, actor: string) {
    const order = get(id);
    if (!canMove(order.status, 'cancelled')) {
      throw new AppError('conflict', `a ${order.status} order cannot be cancelled`);
    }
    return transition(id, { to: 'cancelled', actor }).order;
  }

  /** Unpaid orders past their payment window. Money that arrives later still moves them to paid. */
  function expireDue(actor = 'system'): number {
    const due = db
      .select({ id: orders.id })
      .from(orders)
      .where(and(eq(orders.status, 'awaiting_payment'), sql`${orders.expiresAt} <= ${clock.now()}`))
      .all();
    return due.filter((o) => transition(o.id, { to: 'expired', actor, reason: 'payment window elapsed' }).changed)
      .length;
  }

  /**
   * Orders money may still arrive for (open, or expired: a late payment still pays) that nothing
   * moved since `before`, as a subquery of their ids: the payments module's reconcile job polls
   * the provider for their payments.
   */
  function awaitingNewsSince(before: number) {
    return db
      .select({ id: orders.id })
      .from(orders)
      .where(and(inArray(orders.status, [...OPEN_STATUSES, 'expired']), lt(orders.updatedAt, before)));
  }

  return {
    create,
    get: (id: string) => get(id),
    find,
    statusOf,
    owns,
    ...createLibrary(db, catalog),
    transition,
    acceptPartial,
    refusePartial,
    cancel,
    expireDue,
    awaitingNewsSince,
    ...createOperatorReads(db),
    ...createLedgerReader(db),
    sellerSales: createSellerSales(db),
  };
}

export type Orders = ReturnType<typeof createOrders>;
