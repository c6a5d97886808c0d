import type { Logger } from '../../lib/logger.ts';
import type { Db } from '../../store/database.ts';
import type { Orders } from '../orders/service.ts';
import { PAYMENT_FLAGS, type ApplyOutcome, type PaymentRow, type PaymentUpdates } from './apply.ts';
import { tellAdmin, type AttentionSink } from './attention.ts';
import { verifyIpn } from './nowpayments/signature.ts';

const FLAGGED = new Set<ApplyOutcome>(PAYMENT_FLAGS);

/**
 * What became of an IPN: refused unread (`not_configured`: no NOWPAYMENTS_IPN_SECRET to check it
 * with; `bad_signature`), or stored with the outcome of applying it.
 */
export type IpnResult =
  | { refused: 'not_configured' | 'bad_signature'; outcome?: undefined }
  | { refused?: undefined; outcome: ApplyOutcome };

type Attention = Parameters<AttentionSink>[0];

/** NOWPayments' signed notifications: verified, applied once, and what the admin must decide told. */
export function createIpnHandler(deps: {
  db: Db;
  logger: Logger;
  ipnSecret?: string;
  updates: Pick<PaymentUpdates, 'apply' | 'repeated' | 'findPayment'>;
  orders: Pick<Orders, 'statusOf'>;
  onAttention?: AttentionSink;
}) {
  const { db, logger, ipnSecret, updates, orders, onAttention } = deps;
  type Update = { body: Record<string, unknown>; actor: string; raw: string };

  /**
   * What the admin must be told after `outcome` (reads only: telling enqueues a job, done after).
   * `payment`: the update's payment when the caller has read it already.
   */
  function attention(outcome: ApplyOutcome, update: Update, orderId: string | undefined, payment?: PaymentRow) {
    const told: Attention[] = [];
    if (!onAttention) return told;
    const waiting = orderId !== undefined && orders.statusOf(orderId) === 'partially_paid';
    const partial = waiting ? (payment ?? updates.findPayment(String(update.body.payment_id ?? ''))) : undefined;
    tellAdmin((what) => told.push(what), { outcome, body: update.body, raw: update.raw, partial });
    return told;
  }
  // Reads are grouped in read transactions: outside one, each statement takes and drops SQLite's
  // WAL read lock (two fcntl calls, ~2.5 µs each on the 2-core VM; three reads cost 15 µs, 7 in
  // one). NOWPayments repeats each notification until it gets a 200, so a repeat is the common
  // case: it is recognised, and the admin's attention checked again (an alert job may be gone:
  // discarded by the operator, or never made while e-mail was off), in one of them. Writes never
  // start in these (a read transaction that starts writing fails when another process committed
  // since it began); inside a caller's write transaction they are savepoints. Each is built once:
  // bun:sqlite builds a transaction's wrappers anew on every `transaction()` call.
  const repeatCheck = db.$client.transaction((update: Update) => {
    const repeat = updates.repeated(update);
    return repeat && attention(repeat.openFlag ?? 'duplicate', update, repeat.orderId);
  });
  const attentionAfter = db.$client.transaction((outcome: ApplyOutcome, update: Update) => {
    const payment = updates.findPayment(String(update.body.payment_id ?? ''));
    return attention(outcome, update, payment?.orderId, payment);
  });
  const tell = (told: Attention[]) => {
    for (const what of told) onAttention?.(what);
  };

  /**
   * Applies what NOWPayments says (an IPN, or its answer to a poll) and tells the admin what it
   * must decide. Run inside a transaction (the IPN batch, the poll's), the alert is queued with
   * the event it is about, or neither is.
   */
  function applyAndTell(update: Update): ApplyOutcome {
    const { outcome, orderStatus } = updates.apply(update);
    if (FLAGGED.has(outcome)) {
      logger.warn(
        { outcome, paymentId: update.body.payment_id, actor: update.actor },
        'payment event flagged for the admin',
      );
    }
    // An order the update left in a known status other than partially paid waits for nobody, so
    // what to tell needs no read: a paid order's IPN opens no read transaction after its commit
    // (8% of its profile's samples).
    if (onAttention)
      tell(
        orderStatus === undefined || orderStatus === 'partially_paid'
          ? attentionAfter(outcome, update)
          : attention(outcome, update, undefined),
      );
    return outcome;
  }

  function handleIpn(raw: string, signature: string | null): IpnResult {
    if (!ipnSecret) {
      logger.error('IPN received but NOWPAYMENTS_IPN_SECRET is not set: payment notifications cannot be verified');
      return { refused: 'not_configured' };
    }
    const verified = verifyIpn(raw, signature, ipnSecret);
    if (!verified.ok) {
      logger.warn({ reason: verified.reason }, 'IPN rejected');
      return { refused: 'bad_signature' };
    }
    const update = { body: verified.body, actor: 'ipn:nowpayments', raw };
    const repeat = repeatCheck(update);
    if (repeat) {
      tell(repeat);
      return { outcome: 'duplicate' };
    }
    // Signed means NOWPayments sent it: whatever its content, it is stored and accepted
    // (a refusal is retried forever); what cannot be applied is flagged instead.
    return { outcome: applyAndTell(update) };
  }

  return { handleIpn, applyAndTell };
}
