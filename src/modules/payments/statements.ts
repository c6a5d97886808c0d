import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../store/database.ts';
import { preparedOnFirstUse } from '../../store/lazy-statement.ts';
import { paymentEvents, payments } from '../../store/schema/index.ts';

const p = sql.placeholder;

/**
 * The statements every NOWPayments update runs (an IPN, a poll), each prepared once on first use
 * (store/lazy-statement.ts), on the store's connection: inside the caller's transaction when one is open.
 */
export function createPaymentStatements(db: Db) {
  const byProviderId = preparedOnFirstUse(() =>
    db
      .select()
      .from(payments)
      .where(and(eq(payments.provider, 'nowpayments'), eq(payments.providerPaymentId, p('providerId'))))
      .prepare(),
  );

  /**
   * The order of the payment an identical notification was stored for, under the same dedupe
   * key: the body is compared inside SQLite and only the order id is read (a repeat is the common
   * IPN, and reading the stored body and the payment's row into objects was half its cost).
   */
  const repeatOf = preparedOnFirstUse(() =>
    db
      .select({ orderId: payments.orderId })
      .from(paymentEvents)
      .innerJoin(payments, eq(payments.id, paymentEvents.paymentId))
      .where(and(eq(paymentEvents.dedupeKey, p('dedupeKey')), eq(paymentEvents.raw, p('raw'))))
      .prepare(),
  );

  /** Nothing when the dedupe key is taken (the same event again). */
  const recordEvent = preparedOnFirstUse(() =>
    db
      .insert(paymentEvents)
      .values({
        provider: 'nowpayments',
        providerPaymentId: p('providerPaymentId'),
        paymentId: p('paymentId'),
        status: p('status'),
        amount: p('amount'),
        dedupeKey: p('dedupeKey'),
        raw: p('raw'),
        flag: p('flag'),
        receivedAt: p('now'),
        appliedAt: p('appliedAt'),
      })
      .onConflictDoNothing()
      .returning({ id: paymentEvents.id })
      .prepare(),
  );

  /** What the payment shows after an update that is applied. */
  const show = preparedOnFirstUse(() =>
    db
      .update(payments)
      .set({
        status: sql`${p('status')}`,
        actuallyPaid: sql`${p('actuallyPaid')}`,
        raw: sql`${p('raw')}`,
        updatedAt: sql`${p('now')}`,
        checkedAt: sql`${p('now')}`,
      })
      .where(eq(payments.id, p('id')))
      .prepare(),
  );

  return { byProviderId, repeatOf, recordEvent, show };
}
