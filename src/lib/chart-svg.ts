/**
 * The SVG of a daily bar + line chart: bars for a count per day on the left axis, a line for an
 * amount per day on the right axis, a title and a legend. Plain string building: nothing here
 * loads or renders (src/lib/chart.ts turns the SVG into a PNG).
 */

export interface ChartDay {
  /** Shown under the bar, e.g. "07/12". */
  label: string;
  /** Bar height on the left axis; a non-negative integer (sales that day). */
  count: number;
  /** Line point on the right axis; non-negative (revenue that day, in display units). */
  amount: number;
}

export interface ChartInput {
  title: string;
  /** Legend (and axis) names of the two series, e.g. "Sales" and "Revenue (USD)". */
  countLabel: string;
  amountLabel: string;
  days: ChartDay[];
  /** BCP 47 tag for the numbers on the axes (thousands separators), e.g. 'fr' or 'en'. */
  locale?: string;
  width?: number;
  height?: number;
}

export const FONT_FAMILY = 'Roboto';
const COLORS = { bar: '#4e79a7', line: '#e15759', grid: '#e6e6e6', axis: '#555', text: '#222' };
/** Grid intervals to choose from; both axes share the count so each grid line has a tick on each side. */
const INTERVAL_CHOICES = [4, 5, 6];
/** Roboto's digits are 0.56 em wide; 0.6 keeps the estimate of a label's width on the safe side. */
const CHAR_EM = 0.6;
const MAX_BAR_WIDTH = 48;

/**
 * Text for an SVG element's content or an attribute: markup characters escaped, and the control
 * characters XML 1.0 forbids removed (one of them would make the whole document unparsable).
 */
export function escapeXml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/**
 * The smallest of 1, 2, 2.5, 5 (x 10^k) at least `raw`; counts take 3 instead of 2.5 (no half
 * sales). Never below 1 for counts, or 0.01 for amounts (shown with two decimals at most).
 */
export function niceStep(raw: number, integer: boolean): number {
  const smallest = integer ? 1 : 0.01;
  if (raw <= smallest) return smallest;
  const power = 10 ** Math.floor(Math.log10(raw));
  const multiples = integer ? [1, 2, 3, 5, 10] : [1, 2, 2.5, 5, 10];
  return multiples.map((m) => m * power).find((s) => s >= raw * (1 - 1e-12))!;
}

/** Both axes' steps for the interval count that leaves the least empty space above the data. */
export function axisSteps(
  maxCount: number,
  maxAmount: number,
): { intervals: number; countStep: number; amountStep: number } {
  const options = INTERVAL_CHOICES.map((intervals) => {
    const countStep = niceStep(maxCount / intervals, true);
    const amountStep = niceStep(maxAmount / intervals, false);
    const slack = (countStep * intervals) / Math.max(maxCount, 1) + (amountStep * intervals) / Math.max(maxAmount, 1);
    return { intervals, countStep, amountStep, slack };
  });
  const best = options.reduce((a, b) => (b.slack < a.slack ? b : a));
  return { intervals: best.intervals, countStep: best.countStep, amountStep: best.amountStep };
}

function checkDays(days: ChartDay[]): void {
  for (const d of days) {
    if (!Number.isInteger(d.count) || d.count < 0)
      throw new RangeError(`count must be a non-negative integer, got ${d.count}`);
    if (!Number.isFinite(d.amount) || d.amount < 0)
      throw new RangeError(`amount must be a non-negative number, got ${d.amount}`);
  }
}

/**
 * French number formatting separates thousands with U+202F (narrow no-break space), which Roboto
 * lacks (resvg would drop it: "12500"); the thin space U+2009 looks the same and is in the font.
 */
const forFont = (text: string) => text.replace(/\u202f/g, '\u2009');

/** Cuts text to about `maxWidth` pixels at `fontSize`, with an ellipsis when cut. */
function fit(text: string, maxWidth: number, fontSize: number): string {
  const chars = [...text];
  const max = Math.floor(maxWidth / (fontSize * CHAR_EM));
  return chars.length <= max ? text : `${chars.slice(0, Math.max(1, max - 1)).join('')}…`;
}

const textWidth = (text: string, fontSize: number) => [...text].length * fontSize * CHAR_EM;
const px = (n: number) => Math.round(n * 10) / 10;

export function buildChartSvg(input: ChartInput): string {
  checkDays(input.days);
  const W = input.width ?? 1000;
  const H = input.height ?? 500;
  const days = input.days;
  const countFormat = new Intl.NumberFormat(input.locale ?? 'en', { maximumFractionDigits: 0 });
  const amountFormat = new Intl.NumberFormat(input.locale ?? 'en', { maximumFractionDigits: 2 });

  const { intervals, countStep, amountStep } = axisSteps(
    Math.max(0, ...days.map((d) => d.count)),
    Math.max(0, ...days.map((d) => d.amount)),
  );
  const ticks = Array.from({ length: intervals + 1 }, (_, k) => k);
  const countTicks = ticks.map((k) => forFont(countFormat.format(k * countStep)));
  const amountTicks = ticks.map((k) => forFont(amountFormat.format(k * amountStep)));

  // Margins grow with the longest tick label, so 12,500,000 stays readable next to its axis.
  const tickFont = 12;
  const left = 28 + Math.max(...countTicks.map((t) => textWidth(t, tickFont)));
  const right = 28 + Math.max(...amountTicks.map((t) => textWidth(t, tickFont)));
  const top = 78;
  const bottom = 44;
  const plotW = W - left - right;
  const plotH = H - top - bottom;
  const yCount = (v: number) => top + plotH - (v / (countStep * intervals)) * plotH;
  const yAmount = (v: number) => top + plotH - (v / (amountStep * intervals)) * plotH;
  const slot = plotW / Math.max(1, days.length);
  const barW = Math.min(MAX_BAR_WIDTH, slot * 0.7);
  const cx = (i: number) => left + slot * (i + 0.5);

  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="${FONT_FAMILY}">`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text x="${W / 2}" y="32" font-size="20" font-weight="bold" text-anchor="middle" fill="${COLORS.text}">${escapeXml(fit(forFont(input.title), W - 40, 20))}</text>`,
  ];
  for (const k of ticks) {
    const y = px(top + plotH - (k / intervals) * plotH);
    out.push(`<line x1="${px(left)}" x2="${px(left + plotW)}" y1="${y}" y2="${y}" stroke="${COLORS.grid}"/>`);
    out.push(
      `<text x="${px(left - 8)}" y="${y + 4}" font-size="${tickFont}" text-anchor="end" fill="${COLORS.bar}">${escapeXml(countTicks[k]!)}</text>`,
    );
    out.push(
      `<text x="${px(left + plotW + 8)}" y="${y + 4}" font-size="${tickFont}" fill="${COLORS.line}">${escapeXml(amountTicks[k]!)}</text>`,
    );
  }
  days.forEach((d, i) => {
    const y = yCount(d.count);
    if (d.count > 0)
      out.push(
        `<rect x="${px(cx(i) - barW / 2)}" y="${px(y)}" width="${px(barW)}" height="${px(top + plotH - y)}" fill="${COLORS.bar}"/>`,
      );
  });
  // About ten date labels whatever the number of days, counted from the last one (today) back.
  const every = Math.max(1, Math.ceil(days.length / 10));
  days.forEach((d, i) => {
    if ((days.length - 1 - i) % every !== 0) return;
    const label = escapeXml(fit(forFont(d.label), slot * every - 4, 11));
    out.push(
      `<text x="${px(cx(i))}" y="${px(top + plotH + 18)}" font-size="11" text-anchor="middle" fill="${COLORS.axis}">${label}</text>`,
    );
  });
  if (days.length > 0) {
    const points = days.map((d, i) => `${px(cx(i))},${px(yAmount(d.amount))}`);
    out.push(
      `<polyline points="${points.join(' ')}" fill="none" stroke="${COLORS.line}" stroke-width="2.5" stroke-linejoin="round"/>`,
    );
    for (const p of points) {
      const [x, y] = p.split(',');
      out.push(`<circle cx="${x}" cy="${y}" r="3" fill="${COLORS.line}"/>`);
    }
  }
  const axisY = px(top + plotH);
  out.push(`<line x1="${px(left)}" x2="${px(left + plotW)}" y1="${axisY}" y2="${axisY}" stroke="${COLORS.axis}"/>`);
  // Legend, top left of the plot: a bar swatch and a line swatch with the series names.
  const ly = 58;
  const countName = fit(forFont(input.countLabel), W / 2 - 80, 13);
  const amountX = left + 22 + textWidth(countName, 13) + 24;
  out.push(`<rect x="${px(left)}" y="${ly - 10}" width="16" height="11" fill="${COLORS.bar}"/>`);
  out.push(`<text x="${px(left + 22)}" y="${ly}" font-size="13" fill="${COLORS.text}">${escapeXml(countName)}</text>`);
  out.push(
    `<line x1="${px(amountX)}" x2="${px(amountX + 18)}" y1="${ly - 4}" y2="${ly - 4}" stroke="${COLORS.line}" stroke-width="2.5"/>`,
  );
  out.push(
    `<text x="${px(amountX + 24)}" y="${ly}" font-size="13" fill="${COLORS.text}">${escapeXml(fit(forFont(input.amountLabel), W / 2 - 80, 13))}</text>`,
  );
  out.push('</svg>');
  return out.join('\n');
}
