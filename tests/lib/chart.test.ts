import { describe, expect, test } from 'bun:test';
import fc from 'fast-check';
import { createChartRenderer, renderChartPng, type ChartDay, type ChartInput } from '../../src/lib/chart.ts';
import { axisSteps, buildChartSvg, escapeXml } from '../../src/lib/chart-svg.ts';
import { pngSize } from './png.ts';

const month = (f: (i: number) => Omit<ChartDay, 'label'>): ChartDay[] =>
  Array.from({ length: 30 }, (_, i) => ({ label: `${String(i + 1).padStart(2, '0')}/11`, ...f(i) }));

const chart = (overrides: Partial<ChartInput> = {}): ChartInput => ({
  title: 'Sales and revenue, last 30 days',
  countLabel: 'Sales',
  amountLabel: 'Revenue (USD)',
  days: month((i) => ({ count: (i * 7) % 11, amount: ((i * 7) % 11) * 19.99 })),
  ...overrides,
});

/** The text content of every <text> element, unescaped back. */
const texts = (svg: string) =>
  [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) =>
    m[1]!
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&amp;/g, '&'),
  );

describe('chart PNG', () => {
  test('a 30-day chart is a PNG of the default size (1000 x 500), and of the asked size', async () => {
    const png = await renderChartPng(chart());
    expect(pngSize(png)).toEqual({ width: 1000, height: 500 });
    expect(pngSize(await renderChartPng(chart({ width: 640, height: 360 })))).toEqual({ width: 640, height: 360 });
  });

  test('renders with no sales at all, with no days, and with one day', async () => {
    for (const days of [month(() => ({ count: 0, amount: 0 })), [], [{ label: '07/12', count: 3, amount: 59.97 }]]) {
      expect(pngSize(await renderChartPng(chart({ days })))).toEqual({ width: 1000, height: 500 });
    }
  });

  test('labels with markup characters, quotes and control characters neither break the SVG nor disappear', async () => {
    const input = chart({
      title: 'Ventes <b>&"\'</b> — café',
      countLabel: 'a<b',
      amountLabel: 'x & y\u0000',
      days: [{ label: '<i>', count: 1, amount: 1 }],
    });
    const svg = buildChartSvg(input);
    expect(texts(svg)).toContain('Ventes <b>&"\'</b> — café');
    expect(texts(svg)).toContain('a<b');
    expect(texts(svg)).toContain('x & y');
    expect(texts(svg)).toContain('<i>');
    expect(svg).not.toContain('<b>');
    expect(pngSize(await renderChartPng(input))).not.toBeNull(); // resvg refuses malformed XML
  });

  test('the embedded font draws the text: a title changes the picture', async () => {
    const withTitle = await renderChartPng(chart({ title: 'Ventes' }));
    const without = await renderChartPng(chart({ title: '' }));
    expect(Buffer.from(withTitle).equals(Buffer.from(without))).toBe(false);
  });

  test('refuses values a sales chart cannot have', () => {
    for (const day of [
      { label: 'x', count: -1, amount: 0 },
      { label: 'x', count: 1.5, amount: 0 },
      { label: 'x', count: 1, amount: Number.NaN },
      { label: 'x', count: 1, amount: -5 },
    ]) {
      expect(() => buildChartSvg(chart({ days: [day] }))).toThrow(RangeError);
    }
  });
});

describe('the chart worker', () => {
  test('charts asked for at once each come back as their own picture', async () => {
    const sizes = [
      { width: 640, height: 360 },
      { width: 1000, height: 500 },
      { width: 800, height: 400 },
    ];
    const pngs = await Promise.all(sizes.map((size) => renderChartPng(chart(size))));
    expect(pngs.map(pngSize)).toEqual(sizes);
  });

  test('impossible values are refused before any thread starts', async () => {
    const renderer = createChartRenderer();
    await expect(renderer.render(chart({ days: [{ label: 'x', count: -1, amount: 0 }] }))).rejects.toThrow(RangeError);
    expect(renderer.running()).toBe(false);
  });

  test('a worker that stops answering or ends fails its charts instead of leaving them waiting; the next chart starts another', async () => {
    const url = new URL('./misbehaving-chart-worker.ts', import.meta.url).href;
    const renderer = createChartRenderer({ url, timeoutMs: 50 });
    await expect(renderer.render(chart())).rejects.toThrow('the chart worker gave no answer in 50 ms');
    expect(renderer.running()).toBe(false);
    await expect(renderer.render(chart({ title: 'exit' }))).rejects.toThrow('the chart worker ended');
    expect(renderer.running()).toBe(false);
  });

  test('the worker ends once idle, giving its memory back, and the next chart starts it again', async () => {
    const renderer = createChartRenderer({ idleMs: 10 });
    expect(pngSize(await renderer.render(chart()))).toEqual({ width: 1000, height: 500 });
    expect(renderer.running()).toBe(true);
    for (let waited = 0; renderer.running() && waited < 5_000; waited += 10) await Bun.sleep(10);
    expect(renderer.running()).toBe(false);
    expect(pngSize(await renderer.render(chart()))).toEqual({ width: 1000, height: 500 });
  });
});

describe('axes', () => {
  test('large amounts get thousands separators in the chart language', () => {
    const days = month((i) => ({ count: i, amount: i * 450_000 }));
    const en = texts(buildChartSvg(chart({ days, locale: 'en' })));
    expect(en).toContain('12,500,000');
    // French groups with a narrow no-break space, drawn as a thin space (Roboto has no U+202F).
    const fr = texts(buildChartSvg(chart({ days, locale: 'fr' })));
    expect(fr).toContain('12\u2009500\u2009000');
    expect(fr.join('')).not.toContain('\u202f');
  });

  test('counts tick on whole numbers; the top of each axis covers its largest value with little waste', () => {
    fc.assert(
      fc.property(fc.nat({ max: 100_000 }), fc.double({ min: 0, max: 1e9, noNaN: true }), (maxCount, maxAmount) => {
        const { intervals, countStep, amountStep } = axisSteps(maxCount, maxAmount);
        expect(Number.isInteger(countStep)).toBe(true);
        expect(countStep * intervals).toBeGreaterThanOrEqual(maxCount);
        expect(amountStep * intervals).toBeGreaterThanOrEqual(maxAmount * (1 - 1e-12));
        if (maxCount >= 10) expect(countStep * intervals).toBeLessThanOrEqual(maxCount * 2.5);
        if (maxAmount >= 1) expect(amountStep * intervals).toBeLessThanOrEqual(maxAmount * 2.5);
      }),
    );
  });

  test('a day with 15 sales and 12,345.67 of revenue gets axes up to 15 and 12,500', () => {
    const svg = buildChartSvg(
      chart({
        days: [
          { label: 'a', count: 15, amount: 12_345.67 },
          { label: 'b', count: 4, amount: 10 },
        ],
      }),
    );
    expect(texts(svg)).toEqual(expect.arrayContaining(['15', '12,500']));
    expect(texts(svg)).not.toContain('20');
  });

  test('escapeXml leaves ordinary text alone', () => {
    expect(escapeXml('Chiffre d’affaires (€) — Ж')).toBe('Chiffre d’affaires (€) — Ж');
  });
});
