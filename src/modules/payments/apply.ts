import { and, eq } from 'drizzle-orm';
import type { Clock } from '../../lib/clock.ts';
import { decimalShortfall, decimalString } from '../../lib/money.ts';
import type { Db } from '../../store/database.ts';
import { orders as ordersTable, paymentEvents, payments } from '../../store/schema/index.ts';
import type { Orders } from '../orders/service.ts';
import { orderStatusForNowPayments } from '../orders/state.ts';
import type { NowPayment } from './nowpayments/client.ts';

export type ApplyOutcome = 'applied' | 'unchanged' | 'duplicate' | 'unknown_payment' | 'repeated_deposit';

/** Event flags an admin must look at: `unknown_payment`, `repeated_deposit`, `double_payment`. */

export interface ProviderUpdate {
  payment: NowPayment;
  /** `ipn:nowpayments` or `reconcile`. */
  actor: string;
  /** The body as received, kept for audit. */
  raw: string;
}

/**
 * Applies what NOWPayments says about a payment, exactly once: the event is stored raw and
 * deduplicated on (payment, status, amount), and the order moves forward, all in one
 * transaction. Updates that must not deliver (unknown payment, repeated deposit) are kept
 * and flagged for the admin.
 */
export function createPaymentUpdates({ db, clock, orders }: { db: Db; clock: Clock; orders: Orders }) {
  function apply({ payment: update, actor, raw }: ProviderUpdate): ApplyOutcome {
    const providerId = String(update.payment_id);
    const status = update.payment_status;
    const paid = decimalString(update.actually_paid);
    const now = clock.now();

    return db.transaction(
      (tx) => {
        let payment = tx
          .select()
          .from(payments)
          .where(and(eq(payments.provider, 'nowpayments'), eq(payments.providerPaymentId, providerId)))
          .get();
        const previousStatus = payment?.status;
        // A payment whose creation we could not confirm (timeout) is recognised by our order id.
        if (!payment && !update.parent_payment_id && update.order_id) {
          const order = tx.select({ id: ordersTable.id }).from(ordersTable).where(eq(ordersTable.id, update.order_id)).get();
          if (order) {
            payment = tx
              .insert(payments)
              .values({
                orderId: order.id,
                provider: 'nowpayments',
                providerPaymentId: providerId,
                status,
                payCurrency: update.pay_currency,
                payAmount: decimalString(update.pay_amount),
                payAddress: update.pay_address ?? null,
                raw,
                createdAt: now,
                updatedAt: now,
              })
              .returning()
              .get();
          }
        }
        const flag = update.parent_payment_id ? 'repeated_deposit' : payment ? null : 'unknown_payment';
        const event = tx
          .insert(paymentEvents)
          .values({
            provider: 'nowpayments',
            providerPaymentId: providerId,
            paymentId: payment?.id ?? null,
            status,
            amount: paid,
            dedupeKey: `nowpayments:${providerId}:${status}:${paid ?? ''}${update.parent_payment_id ? `:child-of:${update.parent_payment_id}` : ''}`,
            raw,
            flag,
            receivedAt: now,
          })
          .onConflictDoNothing()
          .returning({ id: paymentEvents.id })
          .get();
        if (!event) return 'duplicate';
        if (flag || !payment) return flag ?? 'unknown_payment';

        const to = orderStatusForNowPayments(status);
        let changed = false;
        /** False for an update the order has already gone past (a late `confirming` after `finished`). */
        let current = true;
        if (to) {
          const reason =
            to === 'partially_paid'
              ? `received ${paid ?? '0'} of ${payment.payAmount ?? '?'} ${payment.payCurrency}; missing ${decimalShortfall(payment.payAmount ?? '0', paid ?? '0')}`
              : `provider status ${status}`;
          const moved = orders.transition(payment.orderId, { to, actor, reason }, tx);
          changed = moved.changed;
          current = changed || moved.order.status === to;
          // Another payment of this order already paid it (e.g. the buyer asked again after a
          // creation whose answer was lost, then paid both): money to give back, for the admin.
          if (!changed && to === 'paid' && previousStatus !== 'finished' && ['paid', 'delivered'].includes(moved.order.status)) {
            tx.update(paymentEvents).set({ flag: 'double_payment' }).where(eq(paymentEvents.id, event.id)).run();
          }
        }
        // A stale update is kept in payment_events but must not roll back what the payment shows.
        if (current) {
          tx.update(payments)
            .set({ status, actuallyPaid: paid ?? payment.actuallyPaid, raw, updatedAt: now, checkedAt: now })
            .where(eq(payments.id, payment.id))
            .run();
        }
        tx.update(paymentEvents).set({ appliedAt: now }).where(eq(paymentEvents.id, event.id)).run();
        return changed ? 'applied' : 'unchanged';
      },
      { behavior: 'immediate' },
    );
  }

  return { apply };
}

export type PaymentUpdates = ReturnType<typeof createPaymentUpdates>;
