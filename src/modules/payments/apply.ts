import { eq } from 'drizzle-orm';
import type { Clock } from '../../lib/clock.ts';
import type { Db, Tx } from '../../store/database.ts';
import { paymentEvents, payments } from '../../store/schema/index.ts';
import type { Orders } from '../orders/service.ts';
import { orderStatusForNowPayments, type OrderStatus } from '../orders/state.ts';
import { findMismatch, shortfallReason } from './checks.ts';
import { readPaymentUpdate, type PaymentUpdate } from './nowpayments/ipn.ts';
import { canonicalIpnJson } from './nowpayments/signature.ts';
import { createPaymentStatements } from './statements.ts';

/**
 * Event flags an admin must look at (`GET /api/admin/payment-events`), each alerted, none of which
 * delivers: `unknown_payment`, `repeated_deposit`, `malformed` (a field the rules need is missing
 * or junk), `order_mismatch` (names another order than its payment's), `amount_mismatch` (another
 * price, price currency or coin, or less than the amount due: that last one makes the order
 * `partially_paid`), `double_payment` (a second payment paid an order already paid: refund one).
 */
export const PAYMENT_FLAGS = [
  'unknown_payment',
  'repeated_deposit',
  'malformed',
  'order_mismatch',
  'amount_mismatch',
  'double_payment',
] as const;
export type PaymentFlag = (typeof PAYMENT_FLAGS)[number];
export type ApplyOutcome = 'applied' | 'unchanged' | 'duplicate' | PaymentFlag;

export type PaymentRow = typeof payments.$inferSelect;

/**
 * What applying an update did, and the status its order is left in when the update reached
 * the order (an order left partially paid waits for the admin; any other needs no more reads).
 */
export interface Applied {
  outcome: ApplyOutcome;
  orderStatus?: OrderStatus;
}

/**
 * What a repeated notification is about: its payment's order (none for an unknown payment) and
 * its flag, while the operator has not handled it (its first alert may be gone: discarded, or
 * never made while e-mail was off).
 */
export interface Repeat {
  orderId?: string;
  openFlag?: PaymentFlag;
}

const isPaymentFlag = (flag: string | null): flag is PaymentFlag =>
  (PAYMENT_FLAGS as readonly string[]).includes(flag ?? '');

const toRepeat = (stored: { orderId: string | null; flag: string | null; handledAt: number | null }): Repeat => ({
  orderId: stored.orderId ?? undefined,
  openFlag: isPaymentFlag(stored.flag) && stored.handledAt === null ? stored.flag : undefined,
});

export interface ProviderUpdate {
  /** The parsed IPN body or `GET /v1/payment/{id}` answer, not yet checked. */
  body: unknown;
  /** `ipn:nowpayments` or `reconcile`. */
  actor: string;
  /** The body as received, kept for audit. */
  raw: string;
}

const digest = (text: string) => new Bun.CryptoHasher('sha256').update(text, 'utf8').digest('hex').slice(0, 32);

/** The dedupe key of an update that matches its payment (a mismatch adds its flag and a digest). */
const eventKey = ({ paymentId, status, actuallyPaid, parentPaymentId }: PaymentUpdate) =>
  `nowpayments:${paymentId}:${status}:${actuallyPaid ?? ''}${parentPaymentId ? `:child-of:${parentPaymentId}` : ''}`;

/**
 * Applies what NOWPayments says about a payment, exactly once: the event is stored raw and
 * deduplicated on (payment, status, amount), and the order moves forward, all in one
 * transaction. Updates that must not deliver are kept and flagged for the admin.
 */
export function createPaymentUpdates({
  db,
  clock,
  orders,
}: {
  db: Db;
  clock: Clock;
  orders: Pick<Orders, 'find' | 'transition'>;
}) {
  const statements = createPaymentStatements(db);
  /** Runs on the store's connection: inside the transaction `apply` opened. */
  const findPayment = (providerId: string): PaymentRow | undefined => statements.byProviderId.get({ providerId });

  /**
   * A notification stored before, byte for byte, under the key this one would take (a mismatch's
   * with its suffix): applying it again could only end in `duplicate`. Everything that decides its
   * key (the payment's and its order's frozen terms, the body) is unchanged, and nothing is
   * adopted for a payment that exists. One keyed read: NOWPayments repeats every notification
   * until it gets a 200, so this is the common case.
   */
  function repeatOf(update: PaymentUpdate, raw: string): Repeat | undefined {
    const stored = statements.repeatOf.get({ dedupeKey: eventKey(update), raw });
    return stored && toRepeat(stored);
  }

  /** A payment whose creation we could not confirm (timeout) is recognised by our order id. */
  function adopt(tx: Tx, update: PaymentUpdate, raw: string, now: number): PaymentRow | undefined {
    if (update.parentPaymentId || !update.orderId) return undefined;
    const order = orders.find(update.orderId, tx);
    if (order?.paymentMethod !== 'crypto') return undefined;
    return tx
      .insert(payments)
      .values({
        orderId: order.id,
        provider: 'nowpayments',
        providerPaymentId: update.paymentId,
        // What the payment shows follows the updates that are applied (below), not this one yet.
        status: 'waiting',
        payCurrency: update.payCurrency,
        payAmount: update.payAmount,
        payAddress: update.payAddress,
        raw,
        createdAt: now,
        updatedAt: now,
      })
      .returning()
      .get();
  }

  /** When `body` repeats, byte for byte, an update already stored (see repeatOf). */
  function repeated({ body, raw }: Pick<ProviderUpdate, 'body' | 'raw'>): Repeat | undefined {
    const reading = readPaymentUpdate(body);
    return reading.ok ? repeatOf(reading.update, raw) : undefined;
  }

  /** Applies an update in one write transaction; a repeat ends there as `duplicate` too, only later. */
  function apply({ body, actor, raw }: ProviderUpdate): Applied {
    const reading = readPaymentUpdate(body);
    const now = clock.now();

    return db.transaction(
      (tx) => {
        const record = (values: {
          providerPaymentId: string;
          paymentId: number | null;
          status: string;
          amount: string | null;
          dedupeKey: string;
          flag: string | null;
          /** Set when the update will be applied in this transaction. */
          appliedAt?: number;
        }) => statements.recordEvent.get({ raw, now, ...values, appliedAt: values.appliedAt ?? null });

        if (!reading.ok) {
          const known = reading.paymentId === null ? undefined : findPayment(reading.paymentId);
          // The same body, resent or polled again, is the same event.
          const event = record({
            providerPaymentId: reading.paymentId ?? '',
            paymentId: known?.id ?? null,
            status: reading.status,
            amount: reading.actuallyPaid,
            dedupeKey: `nowpayments:malformed:${digest(canonicalIpnJson(body))}`,
            flag: 'malformed',
          });
          return { outcome: event ? 'malformed' : 'duplicate' };
        }

        const update = reading.update;
        const { paymentId: providerId, status, actuallyPaid: paid, parentPaymentId: parent } = update;
        let payment = findPayment(providerId);
        const previousStatus = payment?.status;
        payment ??= adopt(tx, update, raw, now);
        const order = payment && orders.find(payment.orderId, tx);
        const mismatch =
          payment && order && !parent
            ? findMismatch(update, { ...payment, priceCents: order.priceCents, currency: order.currency })
            : null;
        const flag: PaymentFlag | null = parent
          ? 'repeated_deposit'
          : !payment
            ? 'unknown_payment'
            : (mismatch?.flag ?? null);
        const key = eventKey(update);
        /** Flagged updates are kept, not applied; an underpayment still makes the order partially paid. */
        const applies = payment !== undefined && (!flag || mismatch?.underpaid === true);
        const event = record({
          providerPaymentId: providerId,
          paymentId: payment?.id ?? null,
          status,
          amount: paid,
          // A wrong update must not shadow the right one with the same status and amount.
          dedupeKey: mismatch ? `${key}:${mismatch.flag}:${digest(JSON.stringify(update))}` : key,
          flag,
          appliedAt: applies ? now : undefined,
        });
        if (!event) return { outcome: 'duplicate' };
        if (!payment || !applies) return { outcome: flag ?? 'unknown_payment', orderStatus: order?.status };

        // Underpaid: whatever the status says, the order is only partially paid.
        const to = mismatch?.underpaid ? 'partially_paid' : orderStatusForNowPayments(status);
        let changed = false;
        let doubled = false;
        let orderStatus = order?.status;
        /** False for an update the order has already gone past (a late `confirming` after `finished`). */
        let current = true;
        if (to) {
          const reason =
            mismatch?.reason ??
            (to === 'partially_paid'
              ? shortfallReason(paid, payment.payAmount, payment.payCurrency)
              : `provider status ${status}`);
          const moved = orders.transition(payment.orderId, { to, actor, reason }, tx, order);
          changed = moved.changed;
          orderStatus = moved.order.status;
          current = changed || orderStatus === to;
          // Another payment of this order already paid it (e.g. the buyer asked again after a
          // creation whose answer was lost, then paid both): money to give back, for the admin.
          if (
            !changed &&
            to === 'paid' &&
            previousStatus !== 'finished' &&
            ['paid', 'delivered'].includes(orderStatus)
          ) {
            tx.update(paymentEvents).set({ flag: 'double_payment' }).where(eq(paymentEvents.id, event.id)).run();
            doubled = true;
          }
        }
        // A stale update is kept in payment_events but must not roll back what the payment shows.
        if (current)
          statements.show.run({ id: payment.id, status, actuallyPaid: paid ?? payment.actuallyPaid, raw, now });
        const outcome = flag ?? (doubled ? 'double_payment' : changed ? 'applied' : 'unchanged');
        return { outcome, orderStatus };
      },
      { behavior: 'immediate' },
    );
  }

  return { apply, repeated, findPayment };
}

export type PaymentUpdates = ReturnType<typeof createPaymentUpdates>;
