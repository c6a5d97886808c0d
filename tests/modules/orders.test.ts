import { describe, expect, test } from 'bun:test';
import fc from 'fast-check';
import { createOrders, type JobSink } from '../../src/modules/orders/service.ts';
import { canMove, orderStatusForNowPayments } from '../../src/modules/orders/state.ts';
import { createUsers } from '../../src/modules/users/service.ts';
import { orderStatuses, type OrderStatus } from '../../src/store/schema/index.ts';
import { NOWPAYMENTS_STATUSES } from '../../src/modules/payments/nowpayments/ipn.ts';
import { catalogFixture } from '../support/catalog.ts';

function ordersFixture() {
  const base = catalogFixture();
  const enqueued: { kind: string; uniqueKey?: string }[] = [];
  const jobs: JobSink = { enqueue: (kind, _payload, { uniqueKey }) => enqueued.push({ kind, uniqueKey }) };
  const orders = createOrders({
    db: base.store.db,
    clock: base.clock,
    jobs,
    feePercent: 5,
    paymentWindowMs: 3_600_000,
    catalog: base.catalog,
  });
  const users = createUsers({ db: base.store.db, clock: base.clock });
  const buyer = users.upsertTelegram({ telegramId: 42, firstName: 'Bea', languageCode: 'fr' });
  const product = base.product({ price_cents: 4999 });
  const ledger = () =>
    base.store.sqlite.query('SELECT account, kind, amount_cents FROM ledger_entries ORDER BY id').all();
  return { ...base, orders, users, buyer, product, enqueued, ledger };
}

describe('order state machine', () => {
  const rank: Partial<Record<OrderStatus, number>> = {
    awaiting_payment: 0,
    confirming: 1,
    paid: 2,
    delivered: 3,
    refunded: 4,
  };

  test('property: no sequence of provider statuses ever moves an order backwards or out of refunded', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...NOWPAYMENTS_STATUSES), { maxLength: 30 }), (sequence) => {
        let current: OrderStatus = 'awaiting_payment';
        let highest = 0;
        for (const provider of sequence) {
          const target = orderStatusForNowPayments(provider)!;
          if (target !== current && canMove(current, target)) current = target;
          const r = rank[current];
          if (r !== undefined) {
            expect(r).toBeGreaterThanOrEqual(highest);
            highest = r;
          }
          if (highest >= 2) expect(['awaiting_payment', 'confirming', 'partially_paid']).not.toContain(current);
        }
      }),
      { numRuns: 500 },
    );
  });

  test('refunded is final and every status maps to a known order status', () => {
    for (const to of orderStatuses) expect(canMove('refunded', to)).toBe(false);
    expect(orderStatusForNowPayments('finished')).toBe('paid');
    expect(orderStatusForNowPayments('something-new')).toBeNull();
  });
});

describe('orders', () => {
  test('price and fee are frozen at creation; an open order is reused, not duplicated', () => {
    const { orders, buyer, product, catalog, seller } = ordersFixture();
    const first = orders.create({ buyerId: buyer.id, productId: product.id, method: 'crypto' });
    expect(first.reused).toBe(false);
    expect(first.order.priceCents).toBe(4999);
    expect(first.order.feeCents).toBe(250);
    expect(first.order.sellerAmountCents).toBe(4749);
    catalog.updateProduct(seller, product.id, { price_cents: 9999 });
    const again = orders.create({ buyerId: buyer.id, productId: product.id, method: 'crypto' });
    expect(again.reused).toBe(true);
    expect(again.order.id).toBe(first.order.id);
    expect(orders.get(first.order.id).priceCents).toBe(4999);
  });

  test('reaching paid grants the product, books a balanced ledger and enqueues delivery, once', () => {
    const { orders, buyer, product, enqueued, ledger } = ordersFixture();
    const { order } = orders.create({ buyerId: buyer.id, productId: product.id, method: 'crypto' });
    expect(orders.transition(order.id, { to: 'confirming', actor: 'test' }).changed).toBe(true);
    expect(orders.transition(order.id, { to: 'paid', actor: 'test' }).changed).toBe(true);
    expect(orders.transition(order.id, { to: 'paid', actor: 'test' }).changed).toBe(false);
    expect(orders.transition(order.id, { to: 'confirming', actor: 'late ipn' }).changed).toBe(false);
    expect(orders.owns(buyer.id, product.id)).toBe(true);
    const entries = ledger() as { amount_cents: number }[];
    expect(entries).toEqual([
      { account: `seller:${order.sellerId}`, kind: 'sale', amount_cents: 4749 },
      { account: 'platform', kind: 'fee', amount_cents: 250 },
    ] as never);
    expect(entries.reduce((sum, e) => sum + e.amount_cents, 0)).toBe(order.priceCents);
    expect(enqueued.map((j) => j.kind)).toEqual(['deliver', 'notify-sale']);
    expect(orders.events(order.id).map((e) => [e.fromStatus, e.toStatus])).toEqual([
      [null, 'awaiting_payment'],
      ['awaiting_payment', 'confirming'],
      ['confirming', 'paid'],
    ]);
    expect(() => orders.create({ buyerId: buyer.id, productId: product.id, method: 'crypto' })).toThrow(/already own/);
  });

  test("orders in a status are counted up to a cap (the operator's Orders screen)", () => {
    const { orders, users, product } = ordersFixture();
    const ids = [1, 2, 3].map((n) => {
      const buyer = users.upsertTelegram({ telegramId: 100 + n, firstName: `B${n}` });
      return orders.create({ buyerId: buyer.id, productId: product.id, method: 'crypto' }).order.id;
    });
    for (const id of ids.slice(0, 2)) orders.transition(id, { to: 'paid', actor: 'test' });
    expect(orders.countWithStatus('paid', 100)).toBe(2);
    expect(orders.countWithStatus('paid', 1)).toBe(1);
    expect(orders.countWithStatus('awaiting_payment', 100)).toBe(1);
    expect(orders.countWithStatus('partially_paid', 100)).toBe(0);
  });

  test('partially paid never delivers until an admin accepts; cancel and expiry follow the rules', () => {
    const { orders, buyer, product, enqueued } = ordersFixture();
    const { order } = orders.create({ buyerId: buyer.id, productId: product.id, method: 'crypto' });
    orders.transition(order.id, { to: 'partially_paid', actor: 'test' });
    expect(enqueued).toEqual([]);
    expect(orders.acceptPartial(order.id, 'admin:env').status).toBe('paid');
    expect(enqueued.map((j) => j.kind)).toEqual(['deliver', 'notify-sale']);
    expect(() => orders.cancel(order.id, 'admin:env')).toThrow(/cannot be cancelled/);

    const other = ordersFixture();
    const late = other.orders.create({ buyerId: other.buyer.id, productId: other.product.id, method: 'crypto' }).order;
    expect(other.orders.expireDue()).toBe(0);
    other.clock.advance(3_600_001);
    expect(other.orders.expireDue()).toBe(1);
    expect(other.orders.get(late.id).status).toBe('expired');
    // Money that arrives after expiry still buys the course.
    expect(other.orders.transition(late.id, { to: 'paid', actor: 'ipn' }).changed).toBe(true);
  });
});
