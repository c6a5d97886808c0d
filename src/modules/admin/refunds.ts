import { parseTxHash, type Network } from '../../lib/crypto-address.ts';
import { AppError } from '../../lib/errors.ts';
import { centsToDecimal } from '../../lib/money.ts';
import type { Db } from '../../store/database.ts';
import type { Catalog } from '../catalog/service.ts';
import type { Orders } from '../orders/service.ts';
import type { Stars } from '../payments/stars.ts';
import type { Users } from '../users/service.ts';
import type { Audit } from './audit.ts';
import type { RefundInput, RefundResultView } from './model.ts';
import { giveStarsBack, tell, type AdminPorts } from './ports.ts';

export interface RefundsDeps {
  db: Db;
  audit: Audit;
  orders: Pick<Orders, 'get' | 'transition' | 'sellerBalance' | 'list'>;
  stars: Pick<Stars, 'chargeOf'>;
  catalog: Pick<Catalog, 'productFile'>;
  users: Pick<Users, 'get' | 'sellerUser'>;
  ports: () => AdminPorts;
  onRefunded?: (method: 'crypto' | 'stars') => void;
}

const REFUNDABLE = ['paid', 'delivered'];

/**
 * Refunds. A Stars order is given back for real through Telegram's refundStarPayment (with the
 * charge id kept when it was paid); a crypto order is only marked refunded (NOWPayments has no
 * refund call for a finished payment: the operator sends the coins and notes the tx hash). Then,
 * in ONE transaction, the order moves to refunded (orders module: entitlement revoked, ledger
 * reversal of seller share and fee) and the audit row is written. Both parties are told after.
 */
export function createRefunds({ db, audit, orders, stars, catalog, users, ports, onRefunded }: RefundsDeps) {
  async function refund(actor: string, input: RefundInput): Promise<RefundResultView> {
    const order = orders.get(input.order_id.trim().toUpperCase());
    if (!REFUNDABLE.includes(order.status)) {
      throw new AppError('conflict', `only a paid order can be refunded; this one is ${order.status}`, {
        status: order.status,
      });
    }
    const note = input.note?.trim() || null;
    let txHash: string | null = null;
    let chargeId: string | null = null;
    if (order.paymentMethod === 'crypto') {
      if (!note) throw invalid('note', 'say how the coins were given back (a crypto refund is made by hand)');
      if (input.tx_hash) {
        if (!input.network) throw invalid('network', 'a tx hash needs its network');
        txHash = parseTxHash(input.network as Network, input.tx_hash);
        if (!txHash) throw invalid('tx_hash', `not a ${input.network} transaction hash`);
      }
    } else {
      chargeId = stars.chargeOf(order.id) ?? null;
      const buyer = users.get(order.buyerId);
      if (!chargeId || buyer.telegramId === null)
        throw new AppError('conflict', 'no Telegram charge is known for this order');
      await giveStarsBack(ports(), buyer.telegramId, chargeId);
    }
    const moved = db.transaction(
      (tx) => {
        const result = orders.transition(
          order.id,
          { to: 'refunded', actor, reason: note ?? 'refunded by an admin' },
          tx,
        );
        if (!result.changed) throw new AppError('conflict', `the order is ${result.order.status} now`);
        audit.record(
          {
            actor,
            action: 'refund',
            target: `order:${order.id}`,
            reason: note,
            details: { method: order.paymentMethod, charge_id: chargeId, tx_hash: txHash },
          },
          tx,
        );
        return result.order;
      },
      { behavior: 'immediate' },
    );
    onRefunded?.(order.paymentMethod);
    const price = formatSignedMoney(order.priceCents, order.currency);
    const title = catalog.productFile(order.productId)?.title ?? order.productId;
    await tell(ports(), order.buyerId, 'admin-refund-buyer', { order: order.id, title, price });
    await tell(ports(), users.sellerUser(order.sellerId)?.id, 'admin-refund-seller', {
      order: order.id,
      title,
      amount: formatSignedMoney(order.sellerAmountCents, order.currency),
      balance: formatSignedMoney(orders.sellerBalance(order.sellerId), order.currency),
    });
    return {
      order_id: moved.id,
      method: order.paymentMethod,
      status: 'refunded',
      charge_id: chargeId,
      tx_hash: txHash,
      seller_balance_cents: orders.sellerBalance(order.sellerId),
      currency: order.currency,
    };
  }

  /** What the operator confirms: the order, its course title and its price. */
  function preview(orderId: string) {
    const order = orders.get(orderId.trim().toUpperCase());
    return {
      order,
      title: catalog.productFile(order.productId)?.title ?? order.productId,
      price: formatSignedMoney(order.priceCents, order.currency),
    };
  }

  return { refund, preview, refunded: (limit = 50) => orders.list({ status: 'refunded', limit }) };
}

/** Minor units as `-44.10 USD` (a balance may be negative after a refund). */
export const formatSignedMoney = (cents: number, currency: string) =>
  `${cents < 0 ? '-' : ''}${centsToDecimal(Math.abs(cents))} ${currency}`;

const invalid = (field: string, message: string) =>
  new AppError('validation_failed', `invalid refund: ${field}`, [{ in: 'body', field, message }]);

export type Refunds = ReturnType<typeof createRefunds>;
