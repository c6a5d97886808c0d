/**
 * What an admin must decide after an IPN (issue 12): a flagged event, once per distinct body
 * (NOWPayments repeats what it sends), and an order left partially paid, once per order. An
 * underpayment is both. The sink is the notify module's alert (ADMIN_EMAIL).
 */
import type { payments } from '../../store/schema/index.ts';
import type { Orders } from '../orders/service.ts';
import { PAYMENT_FLAGS, type ApplyOutcome } from './apply.ts';

export type AttentionSink = (what: { incident: string; title: string; detail: string }) => void;

const FLAGGED = new Set<ApplyOutcome>(PAYMENT_FLAGS);

export function tellAdmin(
  tell: AttentionSink,
  {
    outcome,
    body,
    raw,
    payment,
    orders,
  }: {
    outcome: ApplyOutcome;
    body: { payment_id?: unknown; payment_status?: unknown };
    raw: string;
    payment: typeof payments.$inferSelect | undefined;
    orders: Pick<Orders, 'get'>;
  },
): void {
  const paymentId = String(body.payment_id ?? '');
  if (FLAGGED.has(outcome)) {
    tell({
      incident: `payment-flag:${outcome}:${paymentId}:${Bun.hash(raw).toString(36)}`,
      title: `payment event flagged: ${outcome}`,
      detail: `NOWPayments payment ${paymentId} (${String(body.payment_status)}). See GET /api/admin/payment-events.`,
    });
  }
  if (payment && orders.get(payment.orderId).status === 'partially_paid') {
    tell({
      incident: `partial:${payment.orderId}`,
      title: `partial payment waiting for a decision: order ${payment.orderId}`,
      detail: `Paid ${payment.actuallyPaid ?? '?'} of ${payment.payAmount ?? '?'} ${payment.payCurrency.toUpperCase()}. Accept it or refund it from the admin API.`,
    });
  }
}
