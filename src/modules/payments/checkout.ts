import type { Clock } from '../../lib/clock.ts';
import { AppError } from '../../lib/errors.ts';
import type { ProductView } from '../catalog/model.ts';
import type { Catalog } from '../catalog/service.ts';
import type { Orders } from '../orders/service.ts';
import type { TelegramProfile } from '../users/service.ts';
import type { PaymentView } from './model.ts';
import { refusable, refusalOf, type Refusable } from './refusal.ts';
import type { Payments } from './service.ts';
import type { StarsInvoice, Stars } from './stars.ts';

export interface CheckoutDeps {
  payments: Pick<Payments, 'enabled' | 'currencies' | 'startCrypto' | 'view'>;
  stars: Pick<Stars, 'createStarsInvoice'>;
  orders: Pick<Orders, 'get' | 'cancel' | 'owns'>;
  catalog: Pick<Catalog, 'getProduct'>;
  clock: Clock;
}

/** A crypto payment as its buyer is shown it. */
export interface BuyerPayment {
  view: PaymentView;
  productId: string;
  /** The course's title; its id once the course is gone. */
  title: string;
  /** When the buyer must have paid by: the earlier of the order's window and the provider's quote. */
  deadline: number | null;
  /** The time this was read (the countdown shown is deadline - now). */
  now: number;
}

const isNotFound = (error: unknown) => error instanceof AppError && error.code === 'not_found';

/**
 * Buying in Telegram, step by step, for one buyer: the currencies of a course, the crypto
 * payment, its "check status" and "cancel" (only its buyer may), the Stars invoice. Each step
 * answers with its value or a typed refusal (refusal.ts) that the bot words for the buyer.
 */
export function createCheckout({ payments, stars, orders, catalog, clock }: CheckoutDeps) {
  function titleOf(productId: string): string {
    try {
      return catalog.getProduct(productId).title;
    } catch (error) {
      if (isNotFound(error)) return productId;
      throw error;
    }
  }

  function buyerPayment(view: PaymentView): BuyerPayment {
    const order = orders.get(view.order_id);
    const quote = view.expires_at === null ? Number.NaN : Date.parse(view.expires_at);
    const known = [order.expiresAt ?? Number.NaN, quote].filter((ms) => !Number.isNaN(ms));
    return {
      view,
      productId: order.productId,
      title: titleOf(order.productId),
      deadline: known.length > 0 ? Math.min(...known) : null,
      now: clock.now(),
    };
  }

  /** The course and the currencies it can be paid in; refused when crypto is off, the course gone or owned. */
  async function currencies(
    buyerId: number,
    productId: string,
  ): Promise<Refusable<{ product: ProductView; currencies: string[] }>> {
    if (!payments.enabled()) return { ok: false, reason: 'crypto_off' };
    const found = await refusable(() => ({ product: catalog.getProduct(productId) }));
    if (!found.ok) return found;
    if (orders.owns(buyerId, found.product.id)) return { ok: false, reason: 'already_owned' };
    const listed = await refusable(async () => ({ currencies: await payments.currencies() }));
    return listed.ok ? { ...listed, product: found.product } : listed;
  }

  /** The order and the provider's payment in `currency` (a still-valid one is handed back). */
  function startCrypto(
    telegramId: number,
    productId: string,
    currency: string,
  ): Promise<Refusable<{ payment: BuyerPayment }>> {
    return refusable(async () => {
      const view = await payments.startCrypto({
        product_id: productId,
        pay_currency: currency,
        telegram_user_id: telegramId,
      });
      return { payment: buyerPayment(view) };
    }, currency);
  }

  /** The payment as it stands now (refreshed from the provider when stale); only for its buyer. */
  async function check(buyerId: number, paymentId: string): Promise<Refusable<{ payment: BuyerPayment }>> {
    let view: PaymentView;
    try {
      view = await payments.view(paymentId);
    } catch (error) {
      const reason = isNotFound(error) ? 'unknown_payment' : refusalOf(error);
      if (!reason) throw error;
      return { ok: false, reason };
    }
    if (orders.get(view.order_id).buyerId !== buyerId) return { ok: false, reason: 'unknown_payment' };
    return { ok: true, payment: buyerPayment(view) };
  }

  /**
   * Cancels the buyer's open order (an order event by `user:<id>`). `cancelled` is false when
   * the order had moved on meanwhile (paid, expired...): the payment is then shown as it is.
   */
  async function cancel(
    buyerId: number,
    paymentId: string,
  ): Promise<Refusable<{ payment: BuyerPayment; cancelled: boolean }>> {
    const found = await check(buyerId, paymentId);
    if (!found.ok) return found;
    try {
      orders.cancel(found.payment.view.order_id, `user:${buyerId}`);
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'conflict')) throw error;
      return { ok: true, payment: found.payment, cancelled: false };
    }
    // A cancelled order is not refreshed from the provider: this reads the stored state again.
    return { ok: true, payment: buyerPayment(await payments.view(paymentId)), cancelled: true };
  }

  /** The Stars invoice of a course at today's Stars price (the order is made or reused). */
  function starsInvoice(buyer: TelegramProfile, productId: string): Promise<Refusable<{ invoice: StarsInvoice }>> {
    return refusable(() => ({ invoice: stars.createStarsInvoice(buyer, productId) }));
  }

  return { currencies, startCrypto, check, cancel, starsInvoice };
}

export type Checkout = ReturnType<typeof createCheckout>;
