import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../store/database.ts';
import { ledgerEntries } from '../../store/schema/index.ts';

/** What a seller's sales booked in the ledger, in one currency (minor units). */
export interface SellerLedger {
  /** The seller's share of every paid sale (price - platform fee). */
  creditedCents: number;
  /** The seller's share of the sales refunded since, as a positive number. */
  refundedCents: number;
}

/**
 * The orders module's ledger as other modules may read it: the sellers module computes a
 * balance from it without touching ledger_entries itself. Runs on whatever connection is
 * current, so a caller's open transaction reads it consistently. A seller's entries are found by
 * `seller_id` (ledger_seller_idx, which the platform's entries stay out of), their account checked too.
 */
export function createLedgerReader(db: Db) {
  function sellerLedger(sellerId: number, currency: string): SellerLedger {
    const row = db
      .select({
        credited: sql<number>`coalesce(sum(CASE WHEN ${ledgerEntries.kind} = 'sale' THEN ${ledgerEntries.amountCents} END), 0)`,
        refunded: sql<number>`coalesce(-sum(CASE WHEN ${ledgerEntries.kind} = 'refund' THEN ${ledgerEntries.amountCents} END), 0)`,
      })
      .from(ledgerEntries)
      .where(
        and(
          eq(ledgerEntries.sellerId, sellerId),
          eq(ledgerEntries.account, `seller:${sellerId}`),
          eq(ledgerEntries.currency, currency),
        ),
      )
      .get();
    return { creditedCents: row?.credited ?? 0, refundedCents: row?.refunded ?? 0 };
  }
  /** admin (refunds): the seller's ledger balance in minor units, every currency; a refund may take it below zero. */
  function sellerBalance(sellerId: number): number {
    return db
      .select({ total: sql<number>`coalesce(sum(${ledgerEntries.amountCents}), 0)` })
      .from(ledgerEntries)
      .where(and(eq(ledgerEntries.sellerId, sellerId), eq(ledgerEntries.account, `seller:${sellerId}`)))
      .get()!.total;
  }
  return { sellerLedger, sellerBalance };
}
