import { describe, expect, test } from 'bun:test';
import fc from 'fast-check';
import { AppError } from '../../src/lib/errors.ts';
import { createOrders, type JobSink } from '../../src/modules/orders/service.ts';
import { createPayments } from '../../src/modules/payments/service.ts';
import { createStars, starsPriceFor, type SuccessfulPaymentInput } from '../../src/modules/payments/stars.ts';
import { createUsers } from '../../src/modules/users/service.ts';
import { catalogFixture } from '../support/catalog.ts';
import { silentLogger } from '../support/env.ts';

const STARS_PER_USD = 50;

function starsFixture(options: { alertFails?: boolean } = {}) {
  const base = catalogFixture();
  const { db, sqlite } = base.store;
  const enqueued: string[] = [];
  const jobs: JobSink = {
    enqueue: (kind, payload) => enqueued.push(`${kind}:${(payload as { orderId: string }).orderId}`),
  };
  const orders = createOrders({
    db,
    clock: base.clock,
    jobs,
    feePercent: 5,
    paymentWindowMs: 3_600_000,
    catalog: base.catalog,
  });
  const users = createUsers({ db, clock: base.clock });
  const logger = silentLogger();
  const told: { incident: string; title: string; detail: string; withTheCharge: boolean }[] = [];
  const stars = createStars({
    db,
    clock: base.clock,
    logger,
    orders,
    users,
    catalog: base.catalog,
    starsPerUsd: STARS_PER_USD,
    onAttention: (what) => {
      if (options.alertFails) throw new Error('queue unavailable');
      // Queued in the transaction that records the charge: committed with it, or not at all.
      told.push({ ...what, withTheCharge: sqlite.inTransaction });
    },
  });
  const payments = createPayments({
    db,
    clock: base.clock,
    orders,
    users,
    catalog: base.catalog,
    logger,
    orderTokens: { issue: () => 't' },
    emailDelivery: false,
  });
  const product = base.product({ title: 'Bitcoin from zero', price_cents: 4900 });
  const buyer = { telegramId: 777, firstName: 'Bea', languageCode: 'fr' };
  const count = (table: string, where = '1') =>
    (sqlite.query(`SELECT count(*) AS n FROM ${table} WHERE ${where}`).get() as { n: number }).n;
  const paymentOf = (
    payload: string,
    chargeId: string,
    amount = 2450,
    from = buyer.telegramId,
  ): SuccessfulPaymentInput => ({
    from: { id: from },
    successful_payment: {
      currency: 'XTR',
      total_amount: amount,
      invoice_payload: payload,
      telegram_payment_charge_id: chargeId,
      provider_payment_charge_id: '',
    },
  });
  return { ...base, orders, users, stars, payments, product, buyer, enqueued, count, paymentOf, told };
}

describe('Stars price', () => {
  test("the product's own Stars price wins; else the price at STARS_PER_USD, rounded up to a whole Star", () => {
    expect(starsPriceFor({ price_cents: 4900, stars_price: 1234 }, 50)).toBe(1234);
    expect(starsPriceFor({ price_cents: 4900, stars_price: null }, 50)).toBe(2450);
    expect(starsPriceFor({ price_cents: 1999, stars_price: null }, 50)).toBe(1000);
    expect(starsPriceFor({ price_cents: 7, stars_price: null }, 100)).toBe(7);
    expect(starsPriceFor({ price_cents: 1, stars_price: null }, 1)).toBe(1);
  });

  test('property: the Stars price is the smallest whole number of Stars worth at least the price', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000_000 }), fc.integer({ min: 1, max: 10_000 }), (cents, rate) => {
        const stars = starsPriceFor({ price_cents: cents, stars_price: null }, rate);
        expect(Number.isInteger(stars)).toBe(true);
        expect(BigInt(stars) * 100n).toBeGreaterThanOrEqual(BigInt(cents) * BigInt(rate));
        expect(BigInt(stars - 1) * 100n).toBeLessThan(BigInt(cents) * BigInt(rate));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('Stars invoice', () => {
  test('an invoice in XTR whose payload is a new stars order at the frozen Stars price; asking again reuses it', () => {
    const { stars, orders, product, buyer } = starsFixture();
    const invoice = stars.createStarsInvoice(buyer, product.id.toLowerCase());
    expect(invoice).toEqual({
      title: 'Bitcoin from zero',
      description: 'A practical course with exercises.',
      payload: expect.stringMatching(/^ORD-/),
      currency: 'XTR',
      prices: [{ label: 'Bitcoin from zero', amount: 2450 }],
      provider_token: '',
    });
    const order = orders.get(invoice.payload);
    expect(order).toMatchObject({
      paymentMethod: 'stars',
      starsAmount: 2450,
      priceCents: 4900,
      status: 'awaiting_payment',
    });
    expect(stars.createStarsInvoice(buyer, product.id).payload).toBe(invoice.payload);
  });

  test('titles and descriptions are cut to the Bot API limits (32 and 255 characters)', () => {
    const { stars, buyer, catalog, seller } = starsFixture();
    const long = catalog.createProduct(seller, {
      title: 'A very long course title that goes on and on',
      description: 'd'.repeat(400),
      price_cents: 100,
      category: 'business',
    });
    const invoice = stars.createStarsInvoice(buyer, long.id);
    expect(invoice.title).toHaveLength(32);
    expect(invoice.title.endsWith('…')).toBe(true);
    expect(invoice.description).toHaveLength(255);
    expect(invoice.prices).toEqual([{ label: invoice.title, amount: 50 }]);
  });

  test('after a price change, asking again cancels the old order and invoices the new price', () => {
    const { stars, orders, product, buyer, catalog, seller } = starsFixture();
    const old = stars.createStarsInvoice(buyer, product.id);
    catalog.updateProduct(seller, product.id, { stars_price: 3000 });
    const fresh = stars.createStarsInvoice(buyer, product.id);
    expect(fresh.payload).not.toBe(old.payload);
    expect(fresh.prices[0]!.amount).toBe(3000);
    expect(orders.get(old.payload).status).toBe('cancelled');
    expect(
      stars.checkPreCheckout({ invoice_payload: old.payload, total_amount: 2450, currency: 'XTR', from: { id: 777 } }),
    ).toEqual({
      ok: false,
      reason: 'order_not_open',
    });
  });

  test('an owner is told so instead of getting an invoice; an inactive product is not found', () => {
    const { stars, product, buyer, catalog, seller, paymentOf } = starsFixture();
    const invoice = stars.createStarsInvoice(buyer, product.id);
    stars.applySuccessfulPayment(paymentOf(invoice.payload, 'charge-1'));
    let refusal: unknown;
    try {
      stars.createStarsInvoice(buyer, product.id);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(AppError);
    expect(refusal).toMatchObject({ code: 'conflict', details: { reason: 'already_owned' } });
    const other = catalog.createProduct(seller, {
      title: 'Off sale',
      description: 'Not sold anymore.',
      price_cents: 500,
      category: 'business',
    });
    catalog.deactivateProduct(seller, other.id);
    expect(() => stars.createStarsInvoice(buyer, other.id)).toThrow('not found');
  });
});

describe('pre-checkout', () => {
  test('a fresh invoice is accepted; wrong currency, unknown payload, another payer are refused', () => {
    const { stars, product, buyer, users } = starsFixture();
    const { payload } = stars.createStarsInvoice(buyer, product.id);
    const query = { invoice_payload: payload, total_amount: 2450, currency: 'XTR', from: { id: 777 } };
    expect(stars.checkPreCheckout(query)).toEqual({ ok: true });
    expect(stars.checkPreCheckout({ ...query, currency: 'USD' })).toEqual({ ok: false, reason: 'wrong_currency' });
    expect(stars.checkPreCheckout({ ...query, invoice_payload: 'ORD-2611-NOPE0000' })).toEqual({
      ok: false,
      reason: 'unknown_order',
    });
    users.upsertTelegram({ telegramId: 888 });
    expect(stars.checkPreCheckout({ ...query, from: { id: 888 } })).toEqual({ ok: false, reason: 'unknown_order' });
    expect(stars.checkPreCheckout({ ...query, from: { id: 999 } })).toEqual({ ok: false, reason: 'unknown_order' });
  });

  test('refused when the product went off sale, the price changed, or the buyer owns it by now', () => {
    const { stars, product, buyer, catalog, seller, orders, users } = starsFixture();
    const { payload } = stars.createStarsInvoice(buyer, product.id);
    const query = { invoice_payload: payload, total_amount: 2450, currency: 'XTR', from: { id: 777 } };

    expect(stars.checkPreCheckout({ ...query, total_amount: 1 })).toEqual({ ok: false, reason: 'price_changed' });
    catalog.updateProduct(seller, product.id, { price_cents: 5900 });
    expect(stars.checkPreCheckout(query)).toEqual({ ok: false, reason: 'price_changed' });
    catalog.updateProduct(seller, product.id, { price_cents: 4900 });
    expect(stars.checkPreCheckout(query)).toEqual({ ok: true });

    catalog.deactivateProduct(seller, product.id);
    expect(stars.checkPreCheckout(query)).toEqual({ ok: false, reason: 'product_inactive' });
    catalog.updateProduct(seller, product.id, { status: 'active' });

    // Bought with crypto meanwhile.
    const buyerId = users.findByTelegramId(777)!.id;
    const crypto = orders.create({ buyerId, productId: product.id, method: 'crypto' }).order;
    orders.transition(crypto.id, { to: 'paid', actor: 'test' });
    expect(stars.checkPreCheckout(query)).toEqual({ ok: false, reason: 'already_owned' });
  });

  test('an expired order may still be paid at its price; a paid one is refused as owned', () => {
    const { stars, product, buyer, orders, clock, paymentOf } = starsFixture();
    const { payload } = stars.createStarsInvoice(buyer, product.id);
    const query = { invoice_payload: payload, total_amount: 2450, currency: 'XTR', from: { id: 777 } };
    clock.advance(2 * 3_600_000);
    expect(orders.expireDue()).toBe(1);
    expect(stars.checkPreCheckout(query)).toEqual({ ok: true });
    expect(stars.applySuccessfulPayment(paymentOf(payload, 'late-charge')).outcome).toBe('applied');
    expect(stars.checkPreCheckout(query)).toEqual({ ok: false, reason: 'already_owned' });
  });
});

describe('successful_payment', () => {
  test('pays the order in one go: payment row, raw event, entitlement, ledger, one deliver job', () => {
    const { stars, product, buyer, orders, count, enqueued, paymentOf, store } = starsFixture();
    const { payload } = stars.createStarsInvoice(buyer, product.id);
    const result = stars.applySuccessfulPayment(paymentOf(payload, 'stxCHARGE-1'));
    expect(result).toEqual({ outcome: 'applied', orderId: payload });
    expect(orders.get(payload).status).toBe('paid');
    expect(
      store.sqlite.query('SELECT provider, provider_payment_id, status, pay_currency, pay_amount FROM payments').all(),
    ).toEqual([
      {
        provider: 'stars',
        provider_payment_id: 'stxCHARGE-1',
        status: 'paid',
        pay_currency: 'XTR',
        pay_amount: '2450',
      },
    ]);
    const event = store.sqlite
      .query('SELECT provider, dedupe_key, flag, applied_at, payment_id, raw FROM payment_events')
      .get() as Record<string, unknown>;
    expect(event).toMatchObject({ provider: 'stars', dedupe_key: 'stars:stxCHARGE-1', flag: null });
    expect(event.applied_at).not.toBeNull();
    expect(event.payment_id).not.toBeNull();
    expect(JSON.parse(event.raw as string).successful_payment.telegram_payment_charge_id).toBe('stxCHARGE-1');
    expect(count('entitlements')).toBe(1);
    expect(count('ledger_entries')).toBe(2);
    expect(enqueued).toEqual([`deliver:${payload}`, `notify-sale:${payload}`]);
    expect(orders.events(payload).at(-1)).toMatchObject({ toStatus: 'paid', actor: 'stars' });
  });

  test('the same successful_payment again changes nothing: one payment, one event, one delivery', () => {
    const { stars, product, buyer, count, enqueued, paymentOf } = starsFixture();
    const { payload } = stars.createStarsInvoice(buyer, product.id);
    stars.applySuccessfulPayment(paymentOf(payload, 'charge-A'));
    const before = ['payments', 'payment_events', 'order_events', 'entitlements', 'ledger_entries'].map((t) =>
      count(t),
    );
    for (let i = 0; i < 3; i++)
      expect(stars.applySuccessfulPayment(paymentOf(payload, 'charge-A'))).toEqual({
        outcome: 'duplicate',
        orderId: null,
      });
    expect(
      ['payments', 'payment_events', 'order_events', 'entitlements', 'ledger_entries'].map((t) => count(t)),
    ).toEqual(before);
    expect(enqueued.filter((j) => j.startsWith('deliver:'))).toHaveLength(1);
  });

  test('a second charge for an order already paid is recorded and flagged double_payment, never delivered twice', () => {
    const { stars, product, buyer, count, enqueued, paymentOf, payments, told } = starsFixture();
    const { payload } = stars.createStarsInvoice(buyer, product.id);
    stars.applySuccessfulPayment(paymentOf(payload, 'charge-A'));
    expect(stars.applySuccessfulPayment(paymentOf(payload, 'charge-B'))).toEqual({
      outcome: 'double_payment',
      orderId: payload,
    });
    expect(count('payments', "provider = 'stars'")).toBe(2);
    expect(count('ledger_entries')).toBe(2);
    expect(enqueued.filter((j) => j.startsWith('deliver:'))).toHaveLength(1);
    expect(payments.flaggedEvents()).toEqual([
      expect.objectContaining({ payment_id: 'charge-B', order_id: payload, flag: 'double_payment', amount: '2450' }),
    ]);
    // Stars to give back: the admin is told, naming the charge and the order.
    expect(told).toEqual([
      expect.objectContaining({
        incident: 'stars-flag:double_payment:charge-B',
        title: 'Stars payment flagged: double_payment',
        withTheCharge: true,
      }),
    ]);
    expect(told[0]!.detail).toContain(payload);
    // The order's charge is the first; the second is the flagged one, with its payer and amount.
    expect(stars.chargeOf(payload)).toBe('charge-A');
    const [flagged] = payments.flaggedEvents();
    expect(stars.flaggedCharge(flagged!.id)).toEqual({
      chargeId: 'charge-B',
      flag: 'double_payment',
      handled: false,
      telegramUserId: buyer.telegramId,
      stars: 2450,
    });
  });

  test('a charge naming no stars order of this payer is kept and flagged unknown_payment; nothing moves', () => {
    const { stars, product, buyer, orders, count, enqueued, paymentOf, payments, told } = starsFixture();
    const { payload } = stars.createStarsInvoice(buyer, product.id);
    expect(stars.applySuccessfulPayment(paymentOf('ORD-2611-NOPE0000', 'charge-X')).outcome).toBe('unknown_payment');
    expect(stars.applySuccessfulPayment(paymentOf(payload, 'charge-Y', 2450, 4242)).outcome).toBe('unknown_payment');
    expect(orders.get(payload).status).toBe('awaiting_payment');
    expect(count('payments')).toBe(0);
    expect(enqueued).toEqual([]);
    expect(payments.flaggedEvents().map((e) => [e.payment_id, e.flag])).toEqual([
      ['charge-Y', 'unknown_payment'],
      ['charge-X', 'unknown_payment'],
    ]);
    expect(told.map((what) => [what.incident, what.withTheCharge])).toEqual([
      ['stars-flag:unknown_payment:charge-X', true],
      ['stars-flag:unknown_payment:charge-Y', true],
    ]);
    const [fromStranger] = payments.flaggedEvents();
    expect(stars.flaggedCharge(fromStranger!.id)).toMatchObject({ chargeId: 'charge-Y', telegramUserId: 4242 });
    expect(stars.flaggedCharge(999_999)).toBeUndefined();
  });

  test('an alert that cannot be queued does not stand in the way: the second charge is still recorded and flagged', () => {
    const { stars, product, buyer, count, paymentOf, payments, told } = starsFixture({ alertFails: true });
    const { payload } = stars.createStarsInvoice(buyer, product.id);
    stars.applySuccessfulPayment(paymentOf(payload, 'charge-A'));
    expect(stars.applySuccessfulPayment(paymentOf(payload, 'charge-B')).outcome).toBe('double_payment');
    expect(told).toEqual([]);
    expect(count('payments', "provider = 'stars'")).toBe(2);
    expect(payments.flaggedEvents().map((e) => [e.payment_id, e.flag])).toEqual([['charge-B', 'double_payment']]);
  });
});
