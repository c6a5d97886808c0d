import type { Clock } from '../../lib/clock.ts';
import { AppError } from '../../lib/errors.ts';
import { centsToDecimal } from '../../lib/money.ts';
import type { Sellers } from '../sellers/index.ts';
import type { Audit } from './audit.ts';

const DAY_MS = 86_400_000;
const DEFAULT_DAYS = 30;

export const PAYOUT_CSV_HEADER =
  'payout_id,seller_id,seller_name,amount,currency,network,address,status,tx_hash,reason,requested_at,decided_at';

export interface PayoutPeriod {
  /** First day (UTC, YYYY-MM-DD) and last day, both included. */
  from: string;
  to: string;
}

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
/** A real calendar day (2026-02-31 is not one), from year 1000 on. */
const isDay = (text: string) => /^[1-9]\d{3}-\d{2}-\d{2}$/.test(text) && dayOf(Date.parse(text) || 0) === text;

/**
 * RFC 4180 cell; a cell a spreadsheet would read as a formula (=, +, -, @) is prefixed with a
 * quote: seller names and reasons are typed by people.
 */
function cell(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  const safe = /^[=+\-@\t\r]/.test(text) && typeof value === 'string' ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/**
 * The payouts of a period for the operator's books: every payout requested in it (any state),
 * oldest first, with its seller (the sellers module's period query).
 */
export function createPayoutExport(deps: { clock: Clock; sellers: Pick<Sellers, 'payouts'>; audit: Audit }) {
  /** The period asked for (days, UTC, both included); the last 30 days by default. */
  function period(from?: string, to?: string): PayoutPeriod {
    const bad = Object.entries({ from, to }).filter(([, day]) => day !== undefined && !isDay(day));
    if (bad.length > 0) {
      const details = bad.map(([field]) => ({ in: 'query', field, message: 'a day as YYYY-MM-DD' }));
      throw new AppError('validation_failed', 'invalid period', details);
    }
    const last = to ?? dayOf(deps.clock.now());
    const first = from ?? dayOf(Date.parse(last) - (DEFAULT_DAYS - 1) * DAY_MS);
    if (first > last) {
      throw new AppError('validation_failed', 'invalid period', [
        { in: 'query', field: 'from', message: 'the period starts after it ends' },
      ]);
    }
    return { from: first, to: last };
  }

  const rows = ({ from, to }: PayoutPeriod) =>
    deps.sellers.payouts.requestedBetween(Date.parse(from), Date.parse(to) + DAY_MS);

  /** The CSV of a period; the export is audited (who took the payout addresses, when). */
  function csv(actor: string, range: PayoutPeriod): { csv: string; count: number } {
    const found = rows(range);
    deps.audit.record({
      actor,
      action: 'payout_export',
      target: `${range.from}..${range.to}`,
      details: { count: found.length },
    });
    const lines = found.map((p) =>
      [
        p.id,
        p.seller_id,
        p.seller_name,
        centsToDecimal(p.amount_cents),
        p.currency,
        p.network,
        p.address,
        p.status,
        p.tx_hash,
        p.reason,
        p.created_at,
        p.decided_at,
      ]
        .map(cell)
        .join(','),
    );
    return { csv: `${[PAYOUT_CSV_HEADER, ...lines].join('\r\n')}\r\n`, count: found.length };
  }

  return { period, rows, csv };
}

export type PayoutExport = ReturnType<typeof createPayoutExport>;
