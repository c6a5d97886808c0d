import { and, asc, eq } from 'drizzle-orm';
import type { Clock } from '../../lib/clock.ts';
import { AppError } from '../../lib/errors.ts';
import { normalizeProductId } from '../../lib/ids.ts';
import type { Logger } from '../../lib/logger.ts';
import type { Db } from '../../store/database.ts';
import { paymentEvents, payments } from '../../store/schema/index.ts';
import type { Catalog } from '../catalog/service.ts';
import type { OrderRow, Orders } from '../orders/service.ts';
import { OPEN_STATUSES } from '../orders/state.ts';
import type { TelegramProfile, Users } from '../users/service.ts';
import type { AttentionSink } from './attention.ts';

/** Telegram's currency code of Stars; amounts are whole Stars. */
export const STARS_CURRENCY = 'XTR';
/** Invoice limits of the Bot API (sendInvoice): title 1-32 characters, description 1-255. */
const TITLE_MAX = 32;
const DESCRIPTION_MAX = 255;

/**
 * The Stars price of a product: its own `stars_price` when the seller set one, else the price
 * converted at `starsPerUsd` Stars per 1.00 of the store currency, rounded up to a whole Star.
 * Integer arithmetic: 0.07 x 100 is 7 Stars, not 8.
 */
export function starsPriceFor(
  product: { price_cents: number; stars_price: number | null },
  starsPerUsd: number,
): number {
  if (product.stars_price !== null) return product.stars_price;
  return Math.max(1, Math.ceil((product.price_cents * starsPerUsd) / 100));
}

/** What `sendInvoice` needs, ready to pass on (grammY: title, description, payload, currency, prices, other). */
export interface StarsInvoice {
  title: string;
  description: string;
  /** The order id: Telegram hands it back in pre_checkout_query and successful_payment. */
  payload: string;
  currency: typeof STARS_CURRENCY;
  prices: { label: string; amount: number }[];
  /** Empty for payments in Telegram Stars. */
  provider_token: '';
}

export interface PreCheckoutQueryInput {
  invoice_payload: string;
  total_amount: number;
  currency: string;
  from: { id: number };
}

/** Why a checkout is refused; the bot turns the reason into a message in the buyer's language. */
export type PreCheckoutRefusal =
  | 'unknown_order'
  | 'wrong_currency'
  | 'product_inactive'
  | 'price_changed'
  | 'already_owned'
  | 'order_not_open';

export type PreCheckoutAnswer = { ok: true } | { ok: false; reason: PreCheckoutRefusal };

export interface SuccessfulPaymentInput {
  from: { id: number };
  successful_payment: {
    currency: string;
    total_amount: number;
    invoice_payload: string;
    telegram_payment_charge_id: string;
    provider_payment_charge_id?: string;
  };
}

/** The `successful_payment` update as recorded, when it is one. */
function parsedUpdate(raw: string): SuccessfulPaymentInput | undefined {
  try {
    const update = JSON.parse(raw) as Partial<SuccessfulPaymentInput> | null;
    const payer = update?.from?.id;
    const stars = update?.successful_payment?.total_amount;
    return Number.isSafeInteger(payer) && Number.isSafeInteger(stars) ? (update as SuccessfulPaymentInput) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `applied`: the order is paid now (delivery queued). `duplicate`: this charge was seen before,
 * nothing changed. `double_payment`: the order was already paid by another charge; flagged for an
 * admin to refund. `unknown_payment`: no stars order of this buyer matches; flagged as well.
 */
export type StarsOutcome = 'applied' | 'duplicate' | 'double_payment' | 'unknown_payment';

export interface StarsDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  orders: Orders;
  users: Pick<Users, 'upsertTelegram' | 'findByTelegramId'>;
  catalog: Pick<Catalog, 'getProduct'>;
  /** STARS_PER_USD. */
  starsPerUsd: number;
  /** Where a flagged charge (a double payment, an unknown order) is told to the admin. */
  onAttention?: AttentionSink;
}

const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/** Payments in Telegram Stars: invoice, pre-checkout check, and the successful payment, applied once. */
export function createStars({ db, clock, logger, orders, users, catalog, starsPerUsd, onAttention }: StarsDeps) {
  const log = logger.child({ component: 'stars' });

  /** The active product or null (getProduct hides inactive products behind a 404). */
  function activeProduct(productId: string) {
    try {
      return catalog.getProduct(productId);
    } catch (error) {
      if (error instanceof AppError && error.code === 'not_found') return null;
      throw error;
    }
  }

  /**
   * Creates (or reuses) the buyer's Stars order for a product and returns the invoice to send.
   * An open order made at an older price is cancelled and replaced, so the invoice always shows
   * today's price (pre-checkout refuses any other).
   */
  function createStarsInvoice(buyer: TelegramProfile, productId: string): StarsInvoice {
    const user = users.upsertTelegram(buyer);
    const id = normalizeProductId(productId);
    const product = activeProduct(id);
    if (!product) throw new AppError('not_found', `product ${productId} not found`);
    const amount = starsPriceFor(product, starsPerUsd);
    let { order } = orders.create({ buyerId: user.id, productId: id, method: 'stars', starsAmount: amount });
    if (order.starsAmount !== amount || order.priceCents !== product.price_cents) {
      orders.transition(order.id, {
        to: 'cancelled',
        actor: 'system',
        reason: 'price changed; replaced by a new invoice',
      });
      order = orders.create({ buyerId: user.id, productId: id, method: 'stars', starsAmount: amount }).order;
    }
    const title = clip(product.title, TITLE_MAX);
    return {
      title,
      description: clip(product.description, DESCRIPTION_MAX),
      payload: order.id,
      currency: STARS_CURRENCY,
      prices: [{ label: title, amount }],
      provider_token: '',
    };
  }

  /** The buyer's stars order named by a payload, or null. */
  function orderFor(payload: string, telegramId: number): OrderRow | null {
    let order: OrderRow;
    try {
      order = orders.get(payload);
    } catch (error) {
      if (error instanceof AppError && error.code === 'not_found') return null;
      throw error;
    }
    const buyer = users.findByTelegramId(telegramId);
    return order.paymentMethod === 'stars' && buyer?.id === order.buyerId ? order : null;
  }

  /**
   * Telegram asks before charging; the answer is due within 10 s, so this only reads a few
   * rows by key. An order that merely expired may still be paid (a Stars price does not move
   * like a crypto quote), one cancelled may not.
   */
  function checkPreCheckout(query: PreCheckoutQueryInput): PreCheckoutAnswer {
    if (query.currency !== STARS_CURRENCY) return { ok: false, reason: 'wrong_currency' };
    const order = orderFor(query.invoice_payload, query.from.id);
    if (!order) return { ok: false, reason: 'unknown_order' };
    if (order.status === 'paid' || order.status === 'delivered') return { ok: false, reason: 'already_owned' };
    if (!OPEN_STATUSES.includes(order.status) && order.status !== 'expired')
      return { ok: false, reason: 'order_not_open' };
    const product = activeProduct(order.productId);
    if (!product) return { ok: false, reason: 'product_inactive' };
    const amount = starsPriceFor(product, starsPerUsd);
    if (query.total_amount !== amount || order.starsAmount !== amount) return { ok: false, reason: 'price_changed' };
    if (orders.owns(order.buyerId, order.productId)) return { ok: false, reason: 'already_owned' };
    return { ok: true };
  }

  /**
   * Records a `successful_payment` and pays its order, in one transaction: the raw event
   * (deduplicated on telegram_payment_charge_id), the payments row and `orders.transition` to
   * paid (entitlement, ledger, deliver job). The same charge twice changes nothing.
   */
  function applySuccessfulPayment(update: SuccessfulPaymentInput): { outcome: StarsOutcome; orderId: string | null } {
    const paid = update.successful_payment;
    const chargeId = paid.telegram_payment_charge_id;
    const raw = JSON.stringify(update);
    /**
     * The admin's alert is queued in the transaction that flags the charge, as an IPN's is: a
     * crash right after the commit cannot lose it (Telegram never sends a successful_payment
     * twice). It never stands in the payer's way: a failed enqueue is one failed statement, and
     * the charge is still recorded.
     */
    const alertAdmin = (outcome: 'double_payment' | 'unknown_payment', orderId: string | null) => {
      try {
        onAttention?.({
          incident: `stars-flag:${outcome}:${chargeId}`,
          title: `Stars payment flagged: ${outcome}`,
          detail: `Telegram charge ${chargeId} of ${paid.total_amount} Stars from Telegram user ${update.from.id}${orderId ? ` for order ${orderId}` : ''}. Give the Stars back from the bot (/admin, Orders, Flagged payments) or POST /api/admin/payment-events/{id}/refund-stars (ids: GET /api/admin/payment-events).`,
        });
      } catch (error) {
        log.error({ err: error, chargeId }, 'the admin alert of a flagged Stars payment could not be queued');
      }
    };
    const result = db.transaction(
      (tx) => {
        const now = clock.now();
        const event = tx
          .insert(paymentEvents)
          .values({
            provider: 'stars',
            providerPaymentId: chargeId,
            status: 'paid',
            amount: String(paid.total_amount),
            dedupeKey: `stars:${chargeId}`,
            raw,
            receivedAt: now,
          })
          .onConflictDoNothing()
          .returning({ id: paymentEvents.id })
          .get();
        if (!event) return { outcome: 'duplicate' as const, orderId: null };
        const flag = (outcome: 'double_payment' | 'unknown_payment', orderId: string | null) => {
          tx.update(paymentEvents).set({ flag: outcome, appliedAt: now }).where(eq(paymentEvents.id, event.id)).run();
          alertAdmin(outcome, orderId);
          return { outcome, orderId };
        };

        const order = paid.currency === STARS_CURRENCY ? orderFor(paid.invoice_payload, update.from.id) : null;
        if (!order) return flag('unknown_payment', null);
        const payment = tx
          .insert(payments)
          .values({
            orderId: order.id,
            provider: 'stars',
            providerPaymentId: chargeId,
            status: 'paid',
            payCurrency: STARS_CURRENCY,
            payAmount: String(paid.total_amount),
            actuallyPaid: String(paid.total_amount),
            checkedAt: now,
            raw,
            createdAt: now,
            updatedAt: now,
          })
          .returning({ id: payments.id })
          .get();
        tx.update(paymentEvents).set({ paymentId: payment.id }).where(eq(paymentEvents.id, event.id)).run();
        const moved = orders.transition(
          order.id,
          { to: 'paid', actor: 'stars', reason: `telegram charge ${chargeId}` },
          tx,
        );
        // Not moved: already paid (or refunded) through another charge. The Stars are to be given back.
        if (!moved.changed) return flag('double_payment', order.id);
        tx.update(paymentEvents).set({ appliedAt: now }).where(eq(paymentEvents.id, event.id)).run();
        return { outcome: 'applied' as const, orderId: order.id };
      },
      { behavior: 'immediate' },
    );
    if (result.outcome === 'double_payment' || result.outcome === 'unknown_payment')
      log.warn({ ...result, chargeId, telegramId: update.from.id }, 'Stars payment flagged for the admin');
    return result;
  }

  /**
   * admin (refunds): the Telegram charge that paid an order, the id refundStarPayment needs. An
   * order paid twice has two: the first paid it (charges are applied one at a time, in order);
   * the second is a flagged event, given back with flaggedCharge.
   */
  function chargeOf(orderId: string): string | undefined {
    return db
      .select({ id: payments.providerPaymentId })
      .from(payments)
      .where(and(eq(payments.orderId, orderId), eq(payments.provider, 'stars')))
      .orderBy(asc(payments.id))
      .get()?.id;
  }

  /**
   * admin: a flagged Stars charge (one that paid nothing: a second charge for an order already
   * paid, or one naming no order of its payer), with its payer and amount as Telegram sent them.
   */
  function flaggedCharge(eventId: number) {
    const event = db
      .select({
        chargeId: paymentEvents.providerPaymentId,
        flag: paymentEvents.flag,
        handledAt: paymentEvents.handledAt,
        raw: paymentEvents.raw,
      })
      .from(paymentEvents)
      .where(and(eq(paymentEvents.id, eventId), eq(paymentEvents.provider, 'stars')))
      .get();
    if (!event?.flag) return undefined;
    const paid = parsedUpdate(event.raw);
    return {
      chargeId: event.chargeId,
      flag: event.flag,
      handled: event.handledAt !== null,
      /** Undefined when the stored update does not say (never for one this module recorded). */
      telegramUserId: paid?.from.id,
      stars: paid?.successful_payment.total_amount,
    };
  }

  return {
    createStarsInvoice,
    checkPreCheckout,
    chargeOf,
    flaggedCharge,
    applySuccessfulPayment,
    /** The Stars price of a product card at the configured rate. */
    priceOf: (product: Parameters<typeof starsPriceFor>[0]) => starsPriceFor(product, starsPerUsd),
  };
}

export type Stars = ReturnType<typeof createStars>;
