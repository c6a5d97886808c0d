/** Aligned text tables for bench output: figures, ratios to a ceiling, target verdicts. */

export type Cell = string | number;

export interface TableSpec {
  title: string;
  columns: string[];
  rows: Cell[][];
  /** Lines printed under the table (conditions, caveats). */
  notes?: string[];
}

const format = (cell: Cell): string => (typeof cell === 'number' ? formatNumber(cell) : cell);

function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n) || Math.abs(n) >= 1000) return Math.round(n).toLocaleString('en-US');
  return n.toFixed(1);
}

/** `value / ceiling` rendered as "0.93x". */
export const ratio = (value: number, ceiling: number): string =>
  ceiling > 0 ? `${(value / ceiling).toFixed(2)}x` : 'n/a';

/** Timings never fail a bench; they are reported against their target. */
export const verdict = (pass: boolean): string => (pass ? 'PASS' : 'BELOW TARGET');

export function renderTable({ title, columns, rows, notes = [] }: TableSpec): string {
  const text = rows.map((row) => row.map(format));
  const widths = columns.map((c, i) => Math.max(c.length, ...text.map((row) => (row[i] ?? '').length)));
  // Numbers (and ratios) align right, words left.
  const numeric = columns.map((_, i) =>
    rows.every((row) => typeof row[i] !== 'string' || /^[\d.,]+x?$|^-$/.test(row[i])),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (numeric[i] && i > 0 ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [`\n${title}`, line(columns), rule, ...text.map(line), ...notes.map((n) => `  ${n}`), ''].join('\n');
}

export function printTable(spec: TableSpec): void {
  console.log(renderTable(spec));
}
