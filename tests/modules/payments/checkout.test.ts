/**
 * The buyer's steps of a crypto purchase in the payments module: the payment's deadline is the
 * earlier of the order's window and the provider's quote; only its buyer may see or cancel a
 * payment; a cancel that comes too late says so and shows the payment as it stands; each step
 * refuses with a typed reason. The other modules are stand-ins here.
 */
import { describe, expect, test } from 'bun:test';
import { AppError } from '../../../src/lib/errors.ts';
import { CircuitOpenError } from '../../../src/lib/http-client/errors.ts';
import type { ProductView } from '../../../src/modules/catalog/model.ts';
import { createCheckout, type CheckoutDeps } from '../../../src/modules/payments/checkout.ts';
import type { PaymentView } from '../../../src/modules/payments/model.ts';

const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);
const MINUTE = 60_000;

function view(overrides: Partial<PaymentView> = {}): PaymentView {
  return {
    payment_id: '5745459419',
    order_id: 'ORD-2611-AAAA',
    status: 'awaiting_payment',
    provider_status: 'waiting',
    pay_address: 'bc1qxyz',
    pay_extra_id: null,
    pay_amount: '0.00076',
    pay_currency: 'btc',
    actually_paid: null,
    missing_amount: null,
    price_cents: 4900,
    currency: 'USD',
    expires_at: null,
    payment_uri: 'bitcoin:bc1qxyz?amount=0.00076',
    ...overrides,
  };
}

function checkout(
  options: {
    order?: { buyerId?: number; expiresAt?: number | null; status?: string };
    view?: PaymentView;
    enabled?: boolean;
  } = {},
) {
  const order = {
    id: 'ORD-2611-AAAA',
    productId: 'TBF-2611-ABCDEF',
    buyerId: 7,
    expiresAt: NOW + 60 * MINUTE,
    status: 'awaiting_payment',
    ...options.order,
  };
  let current = options.view ?? view();
  const cancels: string[] = [];
  const deps = {
    payments: {
      enabled: () => options.enabled ?? true,
      currencies: async () => ['btc', 'eth'],
      startCrypto: async () => current,
      view: async (id: string) => {
        if (id !== current.payment_id) throw new AppError('not_found', `payment ${id} not found`);
        return current;
      },
    },
    stars: {
      createStarsInvoice: () => {
        throw new AppError('conflict', 'you already own this course');
      },
    },
    orders: {
      get: () => order,
      owns: (buyerId: number) => buyerId === 99,
      cancel: (id: string, actor: string) => {
        if (order.status !== 'awaiting_payment')
          throw new AppError('conflict', `a ${order.status} order cannot be cancelled`);
        cancels.push(`${id} by ${actor}`);
        order.status = 'cancelled';
        current = { ...current, status: 'cancelled', missing_amount: null };
        return order;
      },
    },
    catalog: {
      getProduct: (id: string) => {
        if (id !== order.productId) throw new AppError('not_found', `product ${id} not found`);
        return { id, title: 'Bitcoin from zero' } as ProductView;
      },
    },
    clock: { now: () => NOW },
  } as unknown as CheckoutDeps;
  return { checkout: createCheckout(deps), cancels };
}

describe('payments: checkout', () => {
  test("the deadline is the earlier of the order's window and the provider's quote, and the title comes along", async () => {
    const quoteFirst = checkout({ view: view({ expires_at: new Date(NOW + 20 * MINUTE).toISOString() }) }).checkout;
    expect(await quoteFirst.check(7, '5745459419')).toMatchObject({
      ok: true,
      payment: { deadline: NOW + 20 * MINUTE, now: NOW, title: 'Bitcoin from zero', productId: 'TBF-2611-ABCDEF' },
    });
    const windowFirst = checkout({ view: view({ expires_at: new Date(NOW + 90 * MINUTE).toISOString() }) }).checkout;
    expect(await windowFirst.check(7, '5745459419')).toMatchObject({
      ok: true,
      payment: { deadline: NOW + 60 * MINUTE },
    });
    const neither = checkout({ order: { expiresAt: null } }).checkout;
    expect(await neither.check(7, '5745459419')).toMatchObject({ ok: true, payment: { deadline: null } });
  });

  test('only its buyer sees or cancels a payment; an unknown one is unknown to everyone', async () => {
    const { checkout: steps, cancels } = checkout();
    expect(await steps.check(8, '5745459419')).toEqual({ ok: false, reason: 'unknown_payment' });
    expect(await steps.cancel(8, '5745459419')).toEqual({ ok: false, reason: 'unknown_payment' });
    expect(await steps.check(7, '999')).toEqual({ ok: false, reason: 'unknown_payment' });
    expect(cancels).toEqual([]);
    const done = await steps.cancel(7, '5745459419');
    expect(done).toMatchObject({
      ok: true,
      cancelled: true,
      payment: { view: { status: 'cancelled', missing_amount: null } },
    });
    expect(cancels).toEqual(['ORD-2611-AAAA by user:7']);
  });

  test('a cancel after the order moved on is refused softly: the payment as it stands', async () => {
    const paid = view({ status: 'partially_paid', missing_amount: '0.0003' });
    const { checkout: steps } = checkout({ order: { status: 'partially_paid' }, view: paid });
    expect(await steps.cancel(7, '5745459419')).toMatchObject({
      ok: true,
      cancelled: false,
      payment: { view: { status: 'partially_paid', missing_amount: '0.0003' } },
    });
  });

  test('choosing a currency is refused when crypto is off, the course gone or already owned', async () => {
    expect(await checkout({ enabled: false }).checkout.currencies(7, 'TBF-2611-ABCDEF')).toEqual({
      ok: false,
      reason: 'crypto_off',
    });
    expect(await checkout().checkout.currencies(7, 'TBF-0000-ZZZZZZ')).toEqual({ ok: false, reason: 'product_gone' });
    expect(await checkout().checkout.currencies(99, 'TBF-2611-ABCDEF')).toEqual({ ok: false, reason: 'already_owned' });
    expect(await checkout().checkout.currencies(7, 'TBF-2611-ABCDEF')).toMatchObject({
      ok: true,
      currencies: ['btc', 'eth'],
    });
    expect(await checkout().checkout.starsInvoice({ telegramId: 1 }, 'TBF-2611-ABCDEF')).toEqual({
      ok: false,
      reason: 'already_owned',
    });
  });

  test('a provider that does not answer is a refusal of its own; a bug is not', async () => {
    const failing = (error: Error) =>
      createCheckout({
        payments: { view: () => Promise.reject(error) },
        clock: { now: () => NOW },
      } as unknown as CheckoutDeps);
    expect(await failing(new CircuitOpenError('nowpayments', 30)).check(7, '1')).toEqual({
      ok: false,
      reason: 'unavailable',
    });
    await expect(failing(new TypeError('a bug')).check(7, '1')).rejects.toThrow('a bug');
  });
});
