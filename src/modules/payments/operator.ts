import { and, desc, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Clock } from '../../lib/clock.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import type { Db, Tx } from '../../store/database.ts';
import { decimalShortfall } from '../../lib/money.ts';
import { paymentEvents, payments } from '../../store/schema/index.ts';
import { preparedOnFirstUse } from '../../store/lazy-statement.ts';

/** Which flagged events to list: still to look at, already handled, or all. */
export type FlagState = 'open' | 'handled' | 'all';

export const flagStateIs = (state: FlagState) =>
  state === 'open'
    ? isNull(paymentEvents.handledAt)
    : state === 'handled'
      ? isNotNull(paymentEvents.handledAt)
      : undefined;

/**
 * The operator's side of payments. Flagged events: marking one handled (when, by whom, a note)
 * takes it out of the open list and of the flagged-payments figure; the event itself, raw as
 * the provider sent it, stays. And what a partially paid order received, to decide on it.
 */
export function createPaymentOperator({ db, clock }: { db: Db; clock: Clock }) {
  const openCount = preparedOnFirstUse(() =>
    db
      .select({ n: sql<number>`count(*)` })
      .from(paymentEvents)
      .where(and(isNotNull(paymentEvents.flag), isNull(paymentEvents.handledAt)))
      .prepare(),
  );

  /** Inside the caller's transaction (the admin module writes its audit row in the same one). */
  function markHandled(id: number, actor: string, note: string | null, tx: Tx | Db = db) {
    const event = tx
      .select({ flag: paymentEvents.flag, handledAt: paymentEvents.handledAt })
      .from(paymentEvents)
      .where(eq(paymentEvents.id, id))
      .get();
    if (!event?.flag) throw notFound(`flagged payment event ${id}`);
    if (event.handledAt !== null) throw new AppError('conflict', `payment event ${id} is already handled`);
    const now = clock.now();
    tx.update(paymentEvents)
      .set({ handledAt: now, handledBy: actor, handledNote: note })
      .where(and(eq(paymentEvents.id, id), isNull(paymentEvents.handledAt)))
      .run();
    return { id, flag: event.flag, handled_at: new Date(now).toISOString(), handled_by: actor, handled_note: note };
  }

  /** The order's latest crypto payment: what was asked, what arrived, what is missing. */
  function received(orderId: string) {
    const row = db.select().from(payments).where(eq(payments.orderId, orderId)).orderBy(desc(payments.id)).get();
    if (!row) return null;
    const paid = row.actuallyPaid ?? '0';
    return {
      currency: row.payCurrency.toUpperCase(),
      asked: row.payAmount,
      paid,
      missing: row.payAmount === null ? null : decimalShortfall(row.payAmount, paid),
    };
  }

  return {
    markHandled,
    received,
    /** Flagged events nobody handled yet (the stats' flagged-payments figure). */
    openFlagCount: () => openCount.get()?.n ?? 0,
  };
}
