import { and, eq, gte, lt, sql } from 'drizzle-orm';
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
   * An identical notification stored before under the same dedupe key, or that key with a
   * mismatch's suffix (`<key>:<flag>:<digest>`): its payment's order (none for an unknown payment),
   * its flag and whether the operator handled it. The body is compared inside SQLite and only
   * those are read (a repeat is the common IPN; reading the stored body and the payment's row
   * into objects was half its cost); the key bounds a range of the unique index.
   */
  const repeatOf = preparedOnFirstUse(() =>
    db
      .select({ orderId: payments.orderId, flag: paymentEvents.flag, handledAt: paymentEvents.handledAt })
      .from(paymentEvents)
      .leftJoin(payments, eq(payments.id, paymentEvents.paymentId))
      .where(
        and(
          gte(paymentEvents.dedupeKey, p('dedupeKey')),
          // Below `<key>;`: `;` follows `:`, so every `<key>:...` is in range.
          lt(paymentEvents.dedupeKey, sql`${p('dedupeKey')} || ';'`),
          eq(paymentEvents.raw, p('raw')),
        ),
      )
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
