import { and, desc, eq, inArray, isNotNull, lt, notInArray, sql } from 'drizzle-orm';
import { type Clock, isoOrNull } from '../../lib/clock.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { UncertainOutcomeError } from '../../lib/http-client.ts';
import { normalizeProductId } from '../../lib/ids.ts';
import type { Logger } from '../../lib/logger.ts';
import { decimalShortfall, decimalString } from '../../lib/money.ts';
import type { Db } from '../../store/database.ts';
import { paymentEvents, payments } from '../../store/schema/index.ts';
import type { Catalog } from '../catalog/service.ts';
import type { Orders } from '../orders/service.ts';
import type { OrderTokens } from '../orders/tokens.ts';
import { OPEN_STATUSES } from '../orders/state.ts';
import type { Users } from '../users/service.ts';
import { createPaymentUpdates, type PaymentRow } from './apply.ts';
import type { AttentionSink } from './attention.ts';
import { flagReason } from './checks.ts';
import { createPaymentOperator, flagStateIs, type FlagState } from './operator.ts';
import type { CreatePaymentInput, PaymentView } from './model.ts';
import type { NowPaymentsClient } from './nowpayments/client.ts';
import { batchedIpns } from './ipn-batch.ts';
import { createIpnHandler } from './notifications.ts';

/** A payment view older than this is refreshed from the provider when someone looks at it. */
const STALE_MS = 30_000;
/** The reconcile job polls orders that heard nothing for this long (their IPN may be lost). */
export const RECONCILE_AFTER_MS = 10 * 60_000;
const RECONCILE_BATCH = 50;
/** Provider statuses after which polling learns nothing new. */
const FINAL_PROVIDER_STATUSES = ['finished', 'failed', 'refunded', 'expired'];

/** Wallet URI schemes for the QR code; other currencies show the bare address. */
const URI_SCHEMES: Record<string, string> = {
  btc: 'bitcoin',
  ltc: 'litecoin',
  doge: 'dogecoin',
  eth: 'ethereum',
  bch: 'bitcoincash',
};

export interface PaymentsDeps {
  db: Db;
  clock: Clock;
  orders: Orders;
  users: Users;
  /** The product's title, as the payment's description at the provider. */
  catalog: Pick<Catalog, 'productTerms'>;
  logger: Logger;
  /** Absent when NOWPAYMENTS_API_KEY is not set: crypto payments are off. */
  nowpayments?: NowPaymentsClient;
  ipnSecret?: string;
  /** Where NOWPayments posts its IPNs (the HTTP face's route); absent without PUBLIC_URL. */
  ipnCallbackUrl?: string;
  /** Issues the order token POST /api/payment hands back. */
  orderTokens: Pick<OrderTokens, 'issue'>;
  /** False without SMTP: an e-mail buyer could pay but never receive the course, so is refused. */
  emailDelivery: boolean;
  /** Told of what an admin must look at (a flagged event, a partial payment waiting), once per incident key. */
  onAttention?: AttentionSink;
}

export type { IpnResult } from './notifications.ts';

export function createPayments(deps: PaymentsDeps) {
  const { db, clock, orders, users, catalog, logger, nowpayments, ipnSecret, ipnCallbackUrl } = deps;
  const updates = createPaymentUpdates({ db, clock, orders });

  function provider(): NowPaymentsClient {
    if (!nowpayments) throw new AppError('unavailable', 'crypto payments are not configured on this marketplace');
    return nowpayments;
  }

  function toView(payment: PaymentRow): PaymentView {
    const order = orders.get(payment.orderId);
    const scheme = URI_SCHEMES[payment.payCurrency.toLowerCase()];
    return {
      payment_id: payment.providerPaymentId,
      order_id: order.id,
      status: order.status,
      provider_status: payment.status,
      pay_address: payment.payAddress,
      pay_extra_id: payment.payExtraId,
      pay_amount: payment.payAmount,
      pay_currency: payment.payCurrency,
      actually_paid: payment.actuallyPaid,
      missing_amount:
        order.status === 'partially_paid'
          ? decimalShortfall(payment.payAmount ?? '0', payment.actuallyPaid ?? '0')
          : null,
      price_cents: order.priceCents,
      currency: order.currency,
      expires_at: isoOrNull(payment.expiresAt),
      payment_uri:
        scheme && payment.payAddress
          ? `${scheme}:${payment.payAddress}?amount=${payment.payAmount ?? ''}`
          : payment.payAddress,
    };
  }

  const { findPayment } = updates;

  /** Creates (or hands back the still-valid) crypto payment for a buyer and a product. */
  async function startCrypto(input: CreatePaymentInput): Promise<PaymentView & { order_token: string }> {
    const np = provider();
    if (input.email !== undefined && input.telegram_user_id === undefined && !deps.emailDelivery) {
      // Before anything exists here or at the provider: money must never be taken for a course
      // that cannot be delivered.
      throw new AppError('validation_failed', 'e-mail delivery is not configured on this marketplace', [
        { in: 'body', field: 'email', message: 'e-mail delivery is not configured (SMTP_SERVER)' },
      ]);
    }
    const buyer =
      input.telegram_user_id !== undefined
        ? users.upsertTelegram({ telegramId: input.telegram_user_id })
        : input.email !== undefined
          ? users.upsertEmail(input.email)
          : undefined;
    // A Telegram buyer who also gives an e-mail gets a copy of the receipt there.
    if (buyer && input.telegram_user_id !== undefined && input.email !== undefined && deps.emailDelivery)
      users.setEmail(buyer.id, input.email);
    if (!buyer) {
      throw new AppError('validation_failed', 'invalid body: telegram_user_id or email', [
        { in: 'body', field: 'telegram_user_id', message: 'a buyer is needed: telegram_user_id or email' },
      ]);
    }
    const payCurrency = input.pay_currency.toLowerCase();
    if (!(await np.currencies()).includes(payCurrency)) {
      throw new AppError(
        'validation_failed',
        `${payCurrency} is not accepted; ask for the list of accepted currencies`,
        [{ in: 'body', field: 'pay_currency', message: 'not an available currency' }],
      );
    }
    const { order } = orders.create({
      buyerId: buyer.id,
      productId: normalizeProductId(input.product_id),
      method: 'crypto',
    });
    const now = clock.now();
    const existing = db
      .select()
      .from(payments)
      .where(and(eq(payments.orderId, order.id), eq(payments.payCurrency, payCurrency), eq(payments.status, 'waiting')))
      .orderBy(desc(payments.createdAt))
      .get();
    const withToken = (view: PaymentView) => ({ ...view, order_token: deps.orderTokens.issue(order.id, 'api') });
    if (existing && (existing.expiresAt === null || existing.expiresAt > now)) return withToken(toView(existing));

    const price = order.priceCents / 100;
    const minimum = await np.minAmount(payCurrency, order.currency);
    if (minimum.fiat_equivalent !== undefined && price < minimum.fiat_equivalent) {
      throw new AppError(
        'validation_failed',
        `${order.currency} ${price.toFixed(2)} is below the smallest ${payCurrency.toUpperCase()} payment (${minimum.fiat_equivalent} ${order.currency}); choose another currency`,
        [{ in: 'body', field: 'pay_currency', message: 'below the provider minimum for this currency' }],
      );
    }
    const product = catalog.productTerms(order.productId);
    let created;
    try {
      created = await np.createPayment({
        price_amount: price,
        price_currency: order.currency.toLowerCase(),
        pay_currency: payCurrency,
        order_id: order.id,
        order_description: (product?.title ?? order.productId).slice(0, 200),
        ipn_callback_url: ipnCallbackUrl,
      });
    } catch (error) {
      if (!(error instanceof UncertainOutcomeError)) throw error;
      // Never re-POST blindly: if NOWPayments did create it, its IPN carries our order id and
      // is adopted (apply.ts); otherwise the buyer simply asks again.
      logger.warn({ orderId: order.id }, 'payment creation outcome unknown');
      throw new AppError('unavailable', 'the payment provider did not answer in time; try again in a minute', null, 60);
    }
    const expiry = Date.parse(created.expiration_estimate_date ?? created.valid_until ?? '');
    const row = db
      .insert(payments)
      .values({
        orderId: order.id,
        provider: 'nowpayments',
        providerPaymentId: String(created.payment_id),
        status: created.payment_status,
        payCurrency,
        payAmount: decimalString(created.pay_amount),
        payAddress: created.pay_address ?? null,
        payExtraId: created.payin_extra_id ?? null,
        expiresAt: Number.isNaN(expiry) ? null : expiry,
        checkedAt: now,
        raw: JSON.stringify(created),
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing()
      .returning()
      .get();
    return withToken(toView(row ?? findPayment(String(created.payment_id))!));
  }

  /** Asks the provider for the current state of a payment and applies it (the admin told, as for an IPN). */
  async function refresh(providerId: string, actor = 'reconcile') {
    const latest = await provider().getPayment(providerId);
    const outcome = applyPolled.immediate({ body: { ...latest }, actor, raw: JSON.stringify(latest) });
    db.update(payments).set({ checkedAt: clock.now() }).where(eq(payments.providerPaymentId, providerId)).run();
    return outcome;
  }

  /** The payment as the buyer should see it; refreshed when stale, stored state if the provider is down. */
  async function view(providerId: string): Promise<PaymentView> {
    const payment = findPayment(providerId);
    if (!payment) throw notFound(`payment ${providerId}`);
    const open = (OPEN_STATUSES as string[]).includes(orders.get(payment.orderId).status);
    if (open && nowpayments && (payment.checkedAt ?? 0) < clock.now() - STALE_MS) {
      try {
        await refresh(providerId, 'refresh');
      } catch (error) {
        logger.warn({ err: error, providerId }, 'payment refresh failed; showing stored state');
      }
    }
    return toView(findPayment(providerId)!);
  }

  /** Polls the provider for open orders that heard nothing for a while: a lost IPN never loses a sale. */
  async function reconcile(): Promise<number> {
    if (!nowpayments) return 0;
    const cutoff = clock.now() - RECONCILE_AFTER_MS;
    const quiet = db
      .select({ providerId: payments.providerPaymentId })
      .from(payments)
      .where(
        and(
          eq(payments.provider, 'nowpayments'),
          notInArray(payments.status, FINAL_PROVIDER_STATUSES),
          inArray(payments.orderId, orders.awaitingNewsSince(cutoff)),
          lt(sql`coalesce(${payments.checkedAt}, 0)`, cutoff),
        ),
      )
      .orderBy(sql`coalesce(${payments.checkedAt}, 0)`)
      .limit(RECONCILE_BATCH)
      .all();
    let applied = 0;
    for (const { providerId } of quiet) {
      try {
        if ((await refresh(providerId)) === 'applied') applied++;
      } catch (error) {
        // One payment the provider cannot show must not hold back the others: it goes last next time.
        db.update(payments).set({ checkedAt: clock.now() }).where(eq(payments.providerPaymentId, providerId)).run();
        logger.warn({ err: error, providerId }, 'reconcile: payment refresh failed');
      }
    }
    return applied;
  }

  /**
   * Provider events an admin must look at (see PaymentFlag), newest first, each with why: those
   * still open (the default), those handled, or all.
   */
  function flaggedEvents(limit = 50, state: FlagState = 'open') {
    return db
      .select({
        id: paymentEvents.id,
        provider: paymentEvents.provider,
        payment_id: paymentEvents.providerPaymentId,
        order_id: payments.orderId,
        status: paymentEvents.status,
        amount: paymentEvents.amount,
        flag: paymentEvents.flag,
        received_at: paymentEvents.receivedAt,
        handled_at: paymentEvents.handledAt,
        handled_by: paymentEvents.handledBy,
        handled_note: paymentEvents.handledNote,
        raw: paymentEvents.raw,
        payment: { orderId: payments.orderId, payCurrency: payments.payCurrency, payAmount: payments.payAmount },
      })
      .from(paymentEvents)
      .leftJoin(payments, eq(payments.id, paymentEvents.paymentId))
      .where(and(isNotNull(paymentEvents.flag), flagStateIs(state)))
      .orderBy(desc(paymentEvents.id))
      .limit(limit)
      .all()
      .map(({ raw, payment, ...e }) => {
        const order = payment && orders.find(payment.orderId);
        const due = payment && order ? { ...payment, priceCents: order.priceCents, currency: order.currency } : null;
        return {
          ...e,
          flag: e.flag!,
          reason: flagReason(e.flag!, raw, due),
          received_at: new Date(e.received_at).toISOString(),
          handled_at: isoOrNull(e.handled_at),
        };
      });
  }

  const { handleIpn, applyAndTell } = createIpnHandler({
    db,
    logger,
    ipnSecret,
    updates,
    orders,
    onAttention: deps.onAttention,
  });
  const applyPolled = db.$client.transaction(applyAndTell);
  return {
    flaggedEvents,
    ...createPaymentOperator({ db, clock }),
    startCrypto,
    view,
    refresh,
    handleIpn,
    handleIpns: batchedIpns(db, handleIpn),
    reconcile,
    currencies: () => provider().currencies(),
    enabled: () => nowpayments !== undefined,
  };
}

export type Payments = ReturnType<typeof createPayments>;
