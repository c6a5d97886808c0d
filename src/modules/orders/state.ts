import type { OrderStatus } from '../../store/schema/index.ts';

/** An order's status, for the modules that read orders through this one. */
export type { OrderStatus };

/**
 * Allowed moves of an order. Nothing ever moves back towards `awaiting_payment`: a late
 * `confirming` after `paid` is ignored. Money that arrives after an order expired, failed
 * or was cancelled still counts (the buyer paid), so those side exits may still reach
 * `confirming` or `paid`. `refunded` is final.
 */
const ALLOWED: Record<OrderStatus, readonly OrderStatus[]> = {
  awaiting_payment: ['confirming', 'partially_paid', 'paid', 'expired', 'failed', 'cancelled'],
  confirming: ['partially_paid', 'paid', 'failed', 'expired', 'refunded'],
  partially_paid: ['confirming', 'paid', 'expired', 'failed', 'refunded', 'cancelled'],
  paid: ['delivered', 'refunded'],
  delivered: ['refunded'],
  expired: ['confirming', 'partially_paid', 'paid'],
  failed: ['confirming', 'partially_paid', 'paid'],
  cancelled: ['confirming', 'partially_paid', 'paid'],
  refunded: [],
};

export function canMove(from: OrderStatus, to: OrderStatus): boolean {
  return ALLOWED[from].includes(to);
}

/** Orders a buyer may still pay; a new purchase of the same product reuses one of these. */
export const OPEN_STATUSES: readonly OrderStatus[] = ['awaiting_payment', 'confirming', 'partially_paid'];

/** NOWPayments payment statuses onto order statuses. The product is delivered on `finished`. */
export function orderStatusForNowPayments(status: string): OrderStatus | null {
  switch (status) {
    case 'waiting':
      return 'awaiting_payment';
    case 'confirming':
    case 'confirmed':
    case 'sending':
      return 'confirming';
    case 'partially_paid':
      return 'partially_paid';
    case 'finished':
      return 'paid';
    case 'failed':
      return 'failed';
    case 'refunded':
      return 'refunded';
    case 'expired':
      return 'expired';
    default:
      return null;
  }
}
