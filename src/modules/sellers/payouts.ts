import { and, desc, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import { type Clock, isoOrNull } from '../../lib/clock.ts';
import { parseTxHash } from '../../lib/crypto-address.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import type { Db } from '../../store/database.ts';
import { payouts } from '../../store/schema/index.ts';
import type { SellerLedger } from '../orders/ledger.ts';
import type { Users } from '../users/service.ts';
import type { SellerMetrics } from './metrics.ts';
import type { BalanceView, PayoutView } from './model.ts';
import { isNetwork } from './profile.ts';

type PayoutRow = typeof payouts.$inferSelect;

const toPayoutView = (row: PayoutRow): PayoutView => ({
  id: row.id,
  amount_cents: row.amountCents,
  currency: row.currency,
  network: row.network,
  address: row.address,
  status: row.status,
  tx_hash: row.txHash,
  reason: row.reason,
  created_at: new Date(row.createdAt).toISOString(),
  decided_at: isoOrNull(row.decidedAt),
});

export interface PayoutsDeps {
  db: Db;
  clock: Clock;
  /** The orders module's ledger: what the seller's sales credited and their refunds took back. */
  ledger: { sellerLedger(sellerId: number, currency: string): SellerLedger };
  /** Seller accounts (the users module's table): the payout address, the status, the name to pay. */
  users: Pick<Users, 'sellerAccount' | 'sellerNames'>;
  metrics: SellerMetrics;
  currency: string;
  /** PAYOUT_MIN in minor units. */
  minCents: number;
  /** The admin's e-mail (ADMIN_EMAIL, through notify): one per payout request. */
  alert: (incident: string, title: string, detail: string) => unknown;
}

/** A pending payout waiting for the operator, with whom to pay. */
export interface PendingPayout extends PayoutView {
  seller_id: number;
  seller_name: string;
}

/**
 * Balances and payouts. available = credited - refunded - (pending + paid payouts): a request
 * reserves its amount by existing as `pending`, a rejection gives it back. Requests run in an
 * IMMEDIATE transaction (SQLite's write lock taken before the balance is read), so two requests,
 * from two processes even, cannot both spend the same money.
 */
export function createPayouts({ db, clock, ledger, users, metrics, currency, minCents, alert }: PayoutsDeps) {
  function balance(sellerId: number): BalanceView {
    const { creditedCents, refundedCents } = ledger.sellerLedger(sellerId, currency);
    const held = db
      .select({
        pending: sql<number>`coalesce(sum(CASE WHEN ${payouts.status} = 'pending' THEN ${payouts.amountCents} END), 0)`,
        paid: sql<number>`coalesce(sum(CASE WHEN ${payouts.status} = 'paid' THEN ${payouts.amountCents} END), 0)`,
      })
      .from(payouts)
      .where(and(eq(payouts.sellerId, sellerId), eq(payouts.currency, currency)))
      .get();
    const pending = held?.pending ?? 0;
    const paid = held?.paid ?? 0;
    return {
      currency,
      credited_cents: creditedCents,
      refunded_cents: refundedCents,
      pending_cents: pending,
      paid_out_cents: paid,
      available_cents: creditedCents - refundedCents - pending - paid,
      payout_min_cents: minCents,
    };
  }

  /** Asks for `amountCents` (default: all that is available) to be paid to the profile's address. */
  function request(sellerId: number, amountCents?: number): PayoutView {
    const row = db.transaction(
      (tx) => {
        // On the transaction's connection: the account is read under the same write lock.
        const seller = users.sellerAccount(sellerId);
        if (!seller) throw notFound(`seller ${sellerId}`);
        if (seller.status !== 'active')
          throw new AppError(
            'forbidden',
            `your seller account is suspended (${seller.suspendedReason ?? 'no reason given'}): payouts are on hold`,
            { reason: 'suspended', suspended_reason: seller.suspendedReason },
          );
        if (!seller.payoutAddress || !seller.payoutNetwork) {
          throw new AppError('conflict', 'set a payout address first', { reason: 'no_address' });
        }
        const { available_cents: available } = balance(sellerId);
        const amount = amountCents ?? available;
        if (amount < minCents) {
          throw new AppError('conflict', `the smallest payout is ${minCents} cents`, {
            reason: 'below_minimum',
            min_cents: minCents,
            available_cents: available,
          });
        }
        if (amount > available) {
          throw new AppError('conflict', 'the amount is more than the available balance', {
            reason: 'insufficient_balance',
            available_cents: available,
          });
        }
        const now = clock.now();
        return tx
          .insert(payouts)
          .values({
            sellerId,
            amountCents: amount,
            currency,
            address: seller.payoutAddress,
            network: seller.payoutNetwork,
            status: 'pending',
            createdAt: now,
            updatedAt: now,
          })
          .returning()
          .get();
      },
      { behavior: 'immediate' },
    );
    metrics.payoutsRequested.inc();
    metrics.payoutsRequestedCents.inc(row.amountCents);
    const name = users.sellerNames([sellerId]).get(sellerId) ?? `#${sellerId}`;
    const amount = `${(row.amountCents / 100).toFixed(2)} ${row.currency}`;
    alert(
      `payout:${row.id}`,
      `Payout #${row.id} requested: ${amount} for ${name}`,
      `Seller #${sellerId} (${name}) asks for ${amount} to ${row.network} ${row.address}. ` +
        `Pay it, then mark it paid with the transaction hash (the admin menu's Payouts in the bot, or POST /api/admin/payouts/${row.id}/paid).`,
    );
    return toPayoutView(row);
  }

  function history(sellerId: number, limit = 20): PayoutView[] {
    return db
      .select()
      .from(payouts)
      .where(eq(payouts.sellerId, sellerId))
      .orderBy(desc(payouts.createdAt), desc(payouts.id))
      .limit(limit)
      .all()
      .map(toPayoutView);
  }

  /** Payout rows with the seller each one pays (one read of the names for all). */
  function withSellers(rows: PayoutRow[]): PendingPayout[] {
    const names = users.sellerNames([...new Set(rows.map((payout) => payout.sellerId))]);
    return rows.map((payout) => ({
      ...toPayoutView(payout),
      seller_id: payout.sellerId,
      seller_name: names.get(payout.sellerId) ?? '',
    }));
  }

  /** The operator's queue: pending payouts, oldest first, with the seller to pay. */
  function listPending(limit = 50): PendingPayout[] {
    return withSellers(
      db
        .select()
        .from(payouts)
        .where(eq(payouts.status, 'pending'))
        .orderBy(payouts.createdAt, payouts.id)
        .limit(limit)
        .all(),
    );
  }

  /** Every payout requested in [fromMs, toMs), any state, oldest first, with its seller (the operator's books). */
  function requestedBetween(fromMs: number, toMs: number): PendingPayout[] {
    return withSellers(
      db
        .select()
        .from(payouts)
        .where(and(gte(payouts.createdAt, fromMs), lt(payouts.createdAt, toMs)))
        .orderBy(payouts.createdAt, payouts.id)
        .all(),
    );
  }

  /** Moves a pending payout to its final state; anything else is a conflict (paid twice, paid after a rejection). */
  function decide(id: number, set: Partial<PayoutRow> & { status: 'paid' | 'rejected' }, actor: string): PayoutView {
    const now = clock.now();
    const row = db
      .update(payouts)
      .set({ ...set, decidedBy: actor, decidedAt: now, updatedAt: now })
      .where(and(eq(payouts.id, id), inArray(payouts.status, ['pending'])))
      .returning()
      .get();
    if (row) return toPayoutView(row);
    const existing = db.select({ status: payouts.status }).from(payouts).where(eq(payouts.id, id)).get();
    if (!existing) throw notFound(`payout ${id}`);
    throw new AppError('conflict', `this payout is already ${existing.status}`, {
      reason: 'not_pending',
      status: existing.status,
    });
  }

  /** The operator sent the money: the transaction hash must be one of the payout's network. */
  function markPaid(id: number, txHash: string, actor: string): PayoutView {
    const payout = db.select().from(payouts).where(eq(payouts.id, id)).get();
    if (!payout) throw notFound(`payout ${id}`);
    const hash = isNetwork(payout.network) ? parseTxHash(payout.network, txHash) : null;
    if (!hash) {
      throw new AppError('validation_failed', `not a ${payout.network} transaction hash`, [
        { in: 'body', field: 'tx_hash', message: `not a ${payout.network} transaction hash` },
      ]);
    }
    return decide(id, { status: 'paid', txHash: hash }, actor);
  }

  /** The operator refuses: the amount is available again, and the seller is told why. */
  function reject(id: number, reason: string, actor: string): PayoutView {
    const text = reason.trim();
    if (!text)
      throw new AppError('validation_failed', 'a rejection needs a reason', [
        { in: 'body', field: 'reason', message: 'required' },
      ]);
    return decide(id, { status: 'rejected', reason: text }, actor);
  }

  return { balance, request, history, listPending, requestedBetween, markPaid, reject };
}

export type Payouts = ReturnType<typeof createPayouts>;
