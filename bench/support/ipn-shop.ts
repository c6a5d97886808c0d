/**
 * Fixtures of the IPN bench: many crypto orders awaiting payment, each with its NOWPayments
 * payment row, the signed `finished` IPN NOWPayments would send for each, and the SQL checks
 * that say what applying them did to the books.
 */
import type { Database } from 'bun:sqlite';
import type { App } from '../../src/app.ts';
import { decimalString } from '../../src/lib/money.ts';
import { signIpn, sortKeysDeep } from '../../src/modules/payments/nowpayments/signature.ts';
import { payments } from '../../src/store/schema/index.ts';
import type { PreparedRequest } from './post-load.ts';

/** USD per BTC, as the fake NOWPayments prices it. */
const BTC_USD = 64_250.5;
const PRICES_CENTS = [499, 1_900, 2_450, 4_900, 7_500, 9_999, 12_500, 19_900, 29_900, 49_900];
const FIRST_PAYMENT_ID = 5_000_000_000;

export interface SeededOrder {
  id: string;
  priceCents: number;
  title: string;
  providerPaymentId: number;
  payAmount: number;
  payAddress: string;
}

const round8 = (value: number) => Number(value.toFixed(8));

/**
 * `count` orders in `awaiting_payment`, one buyer each (an entitlement is one per buyer and
 * product), spread over ten products, each with a `waiting` NOWPayments payment; one transaction.
 * Through the app's own services (users, catalog, orders); the payment rows are inserted as
 * payments.startCrypto would after the provider answered, so NOWPayments is never called.
 */
export function seedOrders(app: App, count: number): SeededOrder[] {
  const { sqlite, db } = app.store;
  const now = Date.now();
  return sqlite.transaction(() => {
    const seller = sqlite
      .query("INSERT INTO sellers (display_name, created_at, updated_at) VALUES ('IPN bench shop', ?, ?) RETURNING id")
      .get(now, now) as { id: number };
    const principal = { role: 'seller' as const, keyId: 'bench', sellerId: seller.id };
    const products = PRICES_CENTS.map((price, i) =>
      app.catalog.createProduct(principal, {
        title: `Course ${i + 1}: crypto payments in practice`,
        description: 'A bench product.',
        price_cents: price,
        category: String(1 + (i % 7)),
      }),
    );
    const seeded: SeededOrder[] = [];
    for (let i = 0; i < count; i++) {
      const product = products[i % products.length]!;
      const buyer = app.users.upsertEmail(`buyer${i}@bench.example`);
      const { order } = app.orders.create({ buyerId: buyer.id, productId: product.id, method: 'crypto' });
      const providerPaymentId = FIRST_PAYMENT_ID + i;
      const payAmount = round8(order.priceCents / 100 / BTC_USD);
      const payAddress = `bc1qbench${providerPaymentId.toString(16).padStart(32, '0')}`;
      db.insert(payments)
        .values({
          orderId: order.id,
          provider: 'nowpayments',
          providerPaymentId: String(providerPaymentId),
          status: 'waiting',
          payCurrency: 'btc',
          payAmount: decimalString(payAmount),
          payAddress,
          expiresAt: now + 20 * 60_000,
          checkedAt: now,
          // What startCrypto stores: NOWPayments' answer to the creation (the field set of
          // tests/fakes/nowpayments.ts), about the size of the IPN that replaces it.
          raw: JSON.stringify(createdAnswer(order, product.title, providerPaymentId, payAmount, payAddress, now)),
          createdAt: now,
          updatedAt: now,
        })
        .run();
      seeded.push({
        id: order.id,
        priceCents: order.priceCents,
        title: product.title,
        providerPaymentId,
        payAmount,
        payAddress,
      });
    }
    return seeded;
  })();
}

/** NOWPayments' answer to `POST /v1/payment` for a seeded order. */
function createdAnswer(
  order: { id: string; priceCents: number },
  title: string,
  providerPaymentId: number,
  payAmount: number,
  payAddress: string,
  now: number,
): Record<string, unknown> {
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    payment_id: String(providerPaymentId),
    payment_status: 'waiting',
    pay_address: payAddress,
    price_amount: order.priceCents / 100,
    price_currency: 'usd',
    pay_amount: payAmount,
    amount_received: round8(payAmount * 0.995),
    pay_currency: 'btc',
    order_id: order.id,
    order_description: title,
    ipn_callback_url: 'https://shop.example/api/ipn/nowpayments',
    created_at: iso(now),
    updated_at: iso(now),
    purchase_id: String(providerPaymentId + 900_000_000),
    smart_contract: null,
    network: 'btc',
    network_precision: null,
    time_limit: null,
    burning_percent: null,
    expiration_estimate_date: iso(now + 20 * 60_000),
    is_fixed_rate: false,
    is_fee_paid_by_user: false,
    valid_until: iso(now + 20 * 60_000),
    type: 'crypto2crypto',
  };
}

/** The `finished` IPN for an order, with the field set of tests/fakes/nowpayments.ts' ipnPayload. */
export function finishedIpn(order: SeededOrder, updatedAt: number): Record<string, unknown> {
  const price = order.priceCents / 100;
  const gross = order.payAmount;
  const fee = {
    currency: 'btc',
    depositFee: round8(gross * 0.001),
    withdrawalFee: 0,
    serviceFee: round8(gross * 0.005),
  };
  return {
    payment_id: order.providerPaymentId,
    parent_payment_id: null,
    invoice_id: null,
    payment_status: 'finished',
    pay_address: order.payAddress,
    payin_extra_id: null,
    price_amount: price,
    price_currency: 'usd',
    pay_amount: order.payAmount,
    actually_paid: order.payAmount,
    actually_paid_at_fiat: price,
    pay_currency: 'btc',
    order_id: order.id,
    order_description: order.title,
    purchase_id: String(order.providerPaymentId + 900_000_000),
    outcome_amount: round8(gross - fee.depositFee - fee.serviceFee),
    outcome_currency: 'btc',
    payment_extra_ids: null,
    fee,
    updated_at: updatedAt,
  };
}

/** Signed and serialised as NOWPayments sends it (keys sorted), ready to POST. */
export function signedRequest(payload: Record<string, unknown>, secret: string, signature?: string): PreparedRequest {
  return {
    body: JSON.stringify(sortKeysDeep(payload)),
    headers: { 'content-type': 'application/json', 'x-nowpayments-sig': signature ?? signIpn(payload, secret) },
  };
}

/** Everything an IPN may write, summed up: equal snapshots = nothing changed. */
export function booksSnapshot(sqlite: Database): Record<string, unknown> {
  const one = (sql: string) => sqlite.query(sql).get() as Record<string, unknown>;
  return {
    orders: sqlite
      .query('SELECT status, count(*) AS n, total(updated_at) AS t FROM orders GROUP BY status ORDER BY status')
      .all(),
    orderEvents: one('SELECT count(*) AS n, max(id) AS last FROM order_events'),
    payments: one("SELECT count(*) AS n, total(updated_at) AS t, sum(status = 'finished') AS finished FROM payments"),
    paymentEvents: one('SELECT count(*) AS n, max(id) AS last, count(applied_at) AS applied FROM payment_events'),
    ledger: one('SELECT count(*) AS n, total(amount_cents) AS cents FROM ledger_entries'),
    entitlements: one('SELECT count(*) AS n FROM entitlements'),
    saleJobs: one("SELECT count(*) AS n, max(id) AS last FROM jobs WHERE kind IN ('deliver', 'notify-sale')"),
    salesCount: one('SELECT total(sales_count) AS n FROM products'),
  };
}

/** Paid, or past paid if a deliver handler already ran: both are sold. */
const SOLD = "('paid', 'delivered')";
export const isSold = (status: string | undefined) => status === 'paid' || status === 'delivered';

export interface BooksCheck {
  statusById: Map<string, string>;
  /** Paid orders whose ledger is not exactly a sale (seller share) + a fee (platform) summing to the price. */
  unbalancedLedgers: number;
  /** Ledger entries of orders that are not paid. */
  strayLedgerEntries: number;
  /** Paid orders without exactly one deliver job, one notify-sale job, one entitlement, one awaiting_payment -> paid event by the IPN. */
  deliverJobsOff: number;
  notifyJobsOff: number;
  entitlementsOff: number;
  orderEventsOff: number;
  deliverJobs: number;
  /** Payment events not applied, or flagged for the admin. */
  unappliedEvents: number;
  paymentEvents: number;
  finishedPayments: number;
  salesCount: number;
}

export function checkBooks(sqlite: Database): BooksCheck {
  const n = (sql: string) => (sqlite.query(sql).get() as { n: number }).n;
  const rows = sqlite.query('SELECT id, status FROM orders').all() as { id: string; status: string }[];
  const perPaidOrder = (sql: string) => n(`SELECT count(*) AS n FROM orders o WHERE o.status IN ${SOLD} AND (${sql})`);
  return {
    statusById: new Map(rows.map((r) => [r.id, r.status])),
    // One pass over the ledger (no index by order: no query of the app reads entries by order):
    // exactly two entries, a sale to the seller's account for the seller's share and a fee to the
    // platform for the fee, summing to the price.
    unbalancedLedgers: n(
      `SELECT count(*) AS n FROM orders o
       LEFT JOIN (SELECT order_id, count(*) AS entries, total(amount_cents) AS cents,
                         sum(kind = 'sale') AS sales, max(CASE WHEN kind = 'sale' THEN account END) AS sale_account,
                         max(CASE WHEN kind = 'sale' THEN amount_cents END) AS sale_cents,
                         sum(kind = 'fee') AS fees, max(CASE WHEN kind = 'fee' THEN account END) AS fee_account,
                         max(CASE WHEN kind = 'fee' THEN amount_cents END) AS fee_cents
                  FROM ledger_entries GROUP BY order_id) l ON l.order_id = o.id
       WHERE o.status IN ${SOLD}
         AND (l.order_id IS NULL OR l.entries != 2 OR l.cents != o.price_cents
              OR l.sales != 1 OR l.sale_account != 'seller:' || o.seller_id OR l.sale_cents != o.seller_amount_cents
              OR l.fees != 1 OR l.fee_account != 'platform' OR l.fee_cents != o.fee_cents)`,
    ),
    strayLedgerEntries: n(
      `SELECT count(*) AS n FROM ledger_entries l JOIN orders o ON o.id = l.order_id WHERE o.status NOT IN ${SOLD}`,
    ),
    deliverJobsOff: perPaidOrder(
      "(SELECT count(*) FROM jobs j WHERE j.kind = 'deliver' AND j.unique_key = 'deliver:' || o.id) != 1",
    ),
    // The seller's notice has no unique key (an order is paid once): one pass grouping them by order.
    notifyJobsOff: n(
      `SELECT count(*) AS n FROM orders o
       LEFT JOIN (SELECT payload ->> '$.orderId' AS order_id, count(*) AS jobs FROM jobs
                  WHERE kind = 'notify-sale' GROUP BY 1) j ON j.order_id = o.id
       WHERE o.status IN ${SOLD} AND (j.jobs IS NULL OR j.jobs != 1)`,
    ),
    entitlementsOff: perPaidOrder(
      '(SELECT count(*) FROM entitlements e WHERE e.order_id = o.id AND e.user_id = o.buyer_id AND e.product_id = o.product_id) != 1',
    ),
    orderEventsOff: perPaidOrder(
      `(SELECT count(*) FROM order_events e WHERE e.order_id = o.id AND e.from_status = 'awaiting_payment'
        AND e.to_status = 'paid' AND e.actor = 'ipn:nowpayments') != 1`,
    ),
    deliverJobs: n("SELECT count(*) AS n FROM jobs WHERE kind = 'deliver'"),
    unappliedEvents: n('SELECT count(*) AS n FROM payment_events WHERE applied_at IS NULL OR flag IS NOT NULL'),
    paymentEvents: n('SELECT count(*) AS n FROM payment_events'),
    finishedPayments: n("SELECT count(*) AS n FROM payments WHERE status = 'finished'"),
    salesCount: n('SELECT total(sales_count) AS n FROM products'),
  };
}
