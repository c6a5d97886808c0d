/**
 * What an admin must decide after an IPN: a flagged event, once per distinct body
 * (NOWPayments repeats what it sends), and an order left partially paid, once per order. An
 * underpayment is both. The sink is the notify module's alert (ADMIN_EMAIL).
 */
import type { payments } from '../../store/schema/index.ts';
import { PAYMENT_FLAGS, type ApplyOutcome } from './apply.ts';

export type AttentionSink = (what: { incident: string; title: string; detail: string }) => void;

const FLAGGED = new Set<ApplyOutcome>(PAYMENT_FLAGS);

export function tellAdmin(
  tell: AttentionSink,
  {
    outcome,
    body,
    raw,
    partial,
  }: {
    outcome: ApplyOutcome;
    body: { payment_id?: unknown; payment_status?: unknown };
    raw: string;
    /** The payment, when its order is partially paid and waits for the admin's decision. */
    partial: typeof payments.$inferSelect | undefined;
  },
): void {
  const paymentId = String(body.payment_id ?? '');
  if (FLAGGED.has(outcome)) {
    tell({
      incident: `payment-flag:${outcome}:${paymentId}:${Bun.hash(raw).toString(36)}`,
      title: `payment event flagged: ${outcome}`,
      detail: `NOWPayments payment ${paymentId} (${String(body.payment_status)}). See the bot (/admin, Orders, Flagged payments) or GET /api/admin/payment-events.`,
    });
  }
  if (partial) {
    tell({
      incident: `partial:${partial.orderId}`,
      title: `partial payment waiting for a decision: order ${partial.orderId}`,
      detail: `Paid ${partial.actuallyPaid ?? '?'} of ${partial.payAmount ?? '?'} ${partial.payCurrency.toUpperCase()}. Accept it or refund it from the admin API.`,
    });
  }
}
