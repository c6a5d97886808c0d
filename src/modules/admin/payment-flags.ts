import type { Db } from '../../store/database.ts';
import type { FlagState } from '../payments/operator.ts';
import type { Payments } from '../payments/service.ts';
import type { Audit } from './audit.ts';

/**
 * Flagged payment events for the operator (unknown payment, repeated deposit, double payment,
 * amount mismatch, malformed): listed with why, and marked handled once looked into (the mark
 * and its audit row in one transaction). Handled events leave the open list and the stats figure.
 */
export function createAdminPaymentFlags({
  db,
  audit,
  payments,
}: {
  db: Db;
  audit: Audit;
  payments: Pick<Payments, 'flaggedEvents' | 'markHandled' | 'openFlagCount'>;
}) {
  function markHandled(actor: string, id: number, note?: string) {
    return db.transaction(
      (tx) => {
        const event = payments.markHandled(id, actor, note?.trim() || null, tx);
        const { flag } = event;
        audit.record(
          { actor, action: 'payment_event_handled', target: `payment_event:${id}`, reason: note, details: { flag } },
          tx,
        );
        return event;
      },
      { behavior: 'immediate' },
    );
  }

  return {
    list: (state: FlagState = 'open', limit = 50) => payments.flaggedEvents(limit, state),
    openCount: () => payments.openFlagCount(),
    markHandled,
  };
}

export type AdminPaymentFlags = ReturnType<typeof createAdminPaymentFlags>;
