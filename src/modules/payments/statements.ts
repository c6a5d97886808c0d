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

  /** The event already stored under a dedupe key: what a repeated notification is compared with. */
  const eventByKey = preparedOnFirstUse(() =>
    db
      .select({ raw: paymentEvents.raw, paymentId: paymentEvents.paymentId })
      .from(paymentEvents)
      .where(eq(paymentEvents.dedupeKey, p('dedupeKey')))
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

  return { byProviderId, eventByKey, recordEvent, show };
}
