import type { Db } from '../../store/database.ts';
import type { Sellers } from '../sellers/index.ts';
import type { Audit } from './audit.ts';
import { formatSignedMoney } from './refunds.ts';
import { tell, type AdminPorts } from './ports.ts';

/** Pending payouts looked through to find one's seller (the queue is short in practice). */
const PENDING_SCAN = 10_000;

export interface AdminPayoutsDeps {
  db: Db;
  audit: Audit;
  sellers: Pick<Sellers, 'payouts' | 'profiles'>;
  ports: () => AdminPorts;
  onDecided?: (status: 'paid' | 'rejected') => void;
}

/**
 * The operator's side of payouts (the rules are the sellers module's): the pending queue, mark
 * paid with a tx hash checked for the payout's network, reject with a reason (the amount is
 * available again). Each decision and its audit row in one transaction; the seller is told.
 */
export function createAdminPayouts({ db, audit, sellers, ports, onDecided }: AdminPayoutsDeps) {
  const sellerUser = (sellerId: number) => sellers.profiles.get(sellerId).userId;

  async function markPaid(actor: string, id: number, txHash: string) {
    const sellerId = sellerOfPending(id);
    const payout = db.transaction(
      (tx) => {
        const row = sellers.payouts.markPaid(id, txHash, actor);
        audit.record(
          {
            actor,
            action: 'payout_paid',
            target: `payout:${id}`,
            details: { tx_hash: row.tx_hash, amount_cents: row.amount_cents, network: row.network },
          },
          tx,
        );
        return row;
      },
      { behavior: 'immediate' },
    );
    onDecided?.('paid');
    await tell(ports(), sellerId === undefined ? null : sellerUser(sellerId), 'admin-payout-paid-seller', {
      amount: formatSignedMoney(payout.amount_cents, payout.currency),
      network: payout.network,
      tx: payout.tx_hash ?? '',
    });
    return payout;
  }

  async function reject(actor: string, id: number, reason: string) {
    const sellerId = sellerOfPending(id);
    const payout = db.transaction(
      (tx) => {
        const row = sellers.payouts.reject(id, reason, actor);
        audit.record(
          {
            actor,
            action: 'payout_rejected',
            target: `payout:${id}`,
            reason: row.reason,
            details: { amount_cents: row.amount_cents },
          },
          tx,
        );
        return row;
      },
      { behavior: 'immediate' },
    );
    onDecided?.('rejected');
    await tell(ports(), sellerId === undefined ? null : sellerUser(sellerId), 'admin-payout-rejected-seller', {
      amount: formatSignedMoney(payout.amount_cents, payout.currency),
      reason: payout.reason ?? '',
    });
    return payout;
  }

  /**
   * The seller of a payout still pending (the sellers module's view of a decided payout omits
   * it); read before the decision. Unknown: the decision itself reports not found or conflict.
   */
  const sellerOfPending = (id: number) => sellers.payouts.listPending(PENDING_SCAN).find((p) => p.id === id)?.seller_id;

  return { pending: (limit = 50) => sellers.payouts.listPending(limit), markPaid, reject };
}

export type AdminPayouts = ReturnType<typeof createAdminPayouts>;
