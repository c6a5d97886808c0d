/**
 * Hostile searches on 3,000 products, 300 of them with 5,000-character descriptions (issue 10,
 * item 2). Two figures:
 *  1. what each search in the hostile list (HOSTILE_QUERIES x every sort x every filter set,
 *     100 items a page, first and second page) costs server-side: `catalog.json.products` of
 *     an app in this process with CACHE_TTL=0, timed one at a time. Target: at most 10 ms each.
 *     The ceiling, timed in the same run: the plain newest page of 100 products (no search).
 *  2. GET /health of a server in a child process while 50 clients search at once, each search
 *     with a fresh min_price (the cache never helps). Target: p99 under 50 ms; the ceiling is
 *     the same probe on the same server just before, without searches.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/lib/logger.ts';
import { ListProductsQuery, type ListProductsInput } from '../src/modules/catalog/model.ts';
import { startProbe, type ProbeReport, type RunningProbe } from './support/latency-probe.ts';
import { filterSets, HOSTILE_QUERIES, queryString, seedCatalog, SORTS } from './support/search-catalog.ts';
import { startTechbot, type ChildServer } from './support/server-process.ts';
import { printTable, ratio, verdict } from './support/table.ts';

const SHAPE = { products: 3_000, longEvery: 10, longChars: 5_000, shortChars: 300 } as const;
const LIMIT = 100;
const RUNS = 5;
const TARGET = { searchMs: 10, healthP99Ms: 50 } as const;
const CONCURRENT = 50;
const LOAD_SEARCHES = 2_000;
const PROBE = { connections: 20, intervalMs: 20, thresholdsMs: [10, 20, 50] } as const;
const IDLE_PROBE_MS = 3_000;

let dataDir: string;
let sellerId: number;
let app: App;
let server: ChildServer | undefined;
let probe: RunningProbe | undefined;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'techbot-bench-search-'));
  ({ sellerId } = seedCatalog(join(dataDir, 'techbot.db'), SHAPE));
  const env = { DATA_DIR: dataDir, LOG_LEVEL: 'silent', RATE_LIMIT_REQUESTS: '1000000', RATE_LIMIT_WINDOW: '1' };
  app = createApp({
    config: loadConfig({ ...env, PORT: '0', HOST: '127.0.0.1', CACHE_TTL: '0' }),
    logger: createLogger({ level: 'silent' }),
  });
  await app.start();
  server = await startTechbot(env);
}, 120_000);

afterAll(async () => {
  probe?.kill();
  await server?.stop();
  await app?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** Every hostile search, first page: the list of part 1 (second pages follow their cursor). */
function hostileSearches(): ListProductsInput[] {
  const searches: ListProductsInput[] = [];
  for (const q of HOSTILE_QUERIES) {
    for (const sort of SORTS)
      for (const filters of filterSets(sellerId)) searches.push({ q, sort, limit: LIMIT, ...filters });
  }
  return searches;
}

interface Timed {
  /** CPU time of the two threads that serve a read: the event loop and the catalog reader, ms. */
  cpuMs: number;
  wallMs: number;
  page: { items: unknown[]; next_cursor: string | null };
}

/** Nanoseconds a thread of this process has run (Linux /proc/self/task/<tid>/schedstat). */
const threadRunNs = (tid: string) => Number(readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ')[0]);

/** The catalog reader's thread (found by its name, once a search has started it). */
function readerThread(): string {
  const reader = readdirSync('/proc/self/task').find(
    (tid) => readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim() === 'catalog-reader',
  );
  if (!reader) throw new Error('no catalog-reader thread in this process');
  return reader;
}

/**
 * The least CPU and the least wall time of RUNS runs of one read. The CPU is that of the two
 * threads serving it, not of the whole process, which also counts the collector's helper
 * threads busy with this bench's own garbage: the reader thread's from its schedstat (ns-precise:
 * it sleeps between reads, so its time is accounted when it stops), the event loop's as the
 * wall time of the call's synchronous part (a plain listing is read there entirely; a running
 * thread's schedstat only moves at the scheduler's tick, so it read 0 for such reads). The least
 * of several runs leaves out part of what the machine's other tenants add: on this shared 2-core
 * box the costliest search reads 4-5 ms when it is calm and up to 2-3 times that when other jobs
 * run. The wall time also counts waiting for a core.
 */
async function timeRead(input: ListProductsInput): Promise<Timed> {
  const reader = readerThread();
  let [cpuMs, wallMs, json] = [Infinity, Infinity, ''];
  for (let i = 0; i < RUNS; i++) {
    const [readerNs, wall] = [threadRunNs(reader), performance.now()];
    const pending = app.catalog.json.products(input);
    const loopMs = performance.now() - wall;
    json = await pending;
    wallMs = Math.min(wallMs, performance.now() - wall);
    cpuMs = Math.min(cpuMs, loopMs + (threadRunNs(reader) - readerNs) / 1e6);
  }
  return { cpuMs, wallMs, page: JSON.parse(json) };
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;

test('every hostile search costs at most 10 ms server-side', async () => {
  const plain = { sort: 'newest' as const, limit: LIMIT };
  // Warm-up: JIT, statements, threads (a search starts the reader worker; a plain listing is read on the event loop).
  for (let i = 0; i < 20; i++) {
    await app.catalog.json.products(plain);
    await app.catalog.json.products({ q: 'warm', limit: LIMIT });
  }
  const ceiling: Timed[] = [];
  const timings: (Timed & { label: string })[] = [];
  for (const input of hostileSearches()) {
    ceiling.push(await timeRead(plain));
    const first = await timeRead(input);
    expect(Array.isArray(first.page.items)).toBe(true);
    const label = `${JSON.stringify(input.q!.slice(0, 16))}${input.q!.length > 16 ? '…' : ''} ${queryString({ ...input, q: undefined })}`;
    timings.push({ ...first, label });
    if (first.page.next_cursor)
      timings.push({ ...(await timeRead({ ...input, cursor: first.page.next_cursor })), label: `${label} page 2` });
  }
  const worst = timings.reduce((a, b) => (b.cpuMs > a.cpuMs ? b : a));
  const figures = (list: Timed[]) => {
    const cpu = list.map((t) => t.cpuMs).sort((a, b) => a - b);
    const wall = list.map((t) => t.wallMs).sort((a, b) => a - b);
    return {
      cpu,
      wall,
      cells: [list.length, pct(cpu, 50), pct(cpu, 99), pct(cpu, 100), pct(wall, 50), pct(wall, 99), pct(wall, 100)],
    };
  };
  const base = figures(ceiling);
  const hostile = figures(timings);
  const maxCpu = pct(hostile.cpu, 100);
  printTable({
    title: `Hostile searches, ${LIMIT} items a page, on ${SHAPE.products.toLocaleString('en-US')} products (${SHAPE.products / SHAPE.longEvery} with ${SHAPE.longChars.toLocaleString('en-US')}-character descriptions) — server-side, least of ${RUNS} runs`,
    columns: [
      'reads',
      'count',
      'CPU p50 ms',
      'CPU p99 ms',
      'CPU max ms',
      'wall p50 ms',
      'wall p99 ms',
      'wall max ms',
      'CPU max vs ceiling p50',
      'target',
      'result',
    ],
    rows: [
      ['newest page, no search (ceiling)', ...base.cells, '-', '-', '-'],
      [
        'hostile searches, pages 1 and 2',
        ...hostile.cells,
        ratio(maxCpu, pct(base.cpu, 50)),
        `CPU max <= ${TARGET.searchMs} ms`,
        verdict(maxCpu <= TARGET.searchMs),
      ],
    ],
    notes: [
      `most expensive: ${worst.label} (${worst.cpuMs.toFixed(2)} ms CPU, ${worst.wallMs.toFixed(2)} ms wall)`,
      'catalog.json.products of an app in this process (CACHE_TTL=0): the route handler minus HTTP framing.',
      "CPU: the catalog reader thread (schedstat) and the event loop (the call's synchronous part); wall also counts waiting for a core.",
    ],
  });
}, 300_000);

/** The API refuses a longer q (422) before any search: the 5 kB strings are searched in part 1 only. */
const MAX_Q = ListProductsQuery.properties.q.maxLength!;

/**
 * `count` searches from `CONCURRENT` clients at once, each with a fresh min_price. `unexpected`
 * counts answers other than 200 (or 422 for a q over MAX_Q).
 */
async function searchLoad(url: string, count: number) {
  const searches = hostileSearches().filter((s) => s.min_price === undefined && (s.max_price ?? Infinity) >= count);
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let [next, unexpected] = [0, 0];
  const client = async () => {
    for (let n = next++; n < count; n = next++) {
      const input = { ...searches[(n * 7) % searches.length]!, min_price: n };
      const start = performance.now();
      const response = await fetch(`${url}/api/products?${queryString(input)}`);
      await response.arrayBuffer();
      latencies.push(performance.now() - start);
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      if (response.status !== (input.q!.length > MAX_Q ? 422 : 200)) unexpected++;
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: CONCURRENT }, client));
  const seconds = (performance.now() - start) / 1000;
  return { seconds, latencies: latencies.sort((a, b) => a - b), statuses: Object.fromEntries(statuses), unexpected };
}

async function probed<T>(work: () => Promise<T>): Promise<{ report: ProbeReport; result: T }> {
  probe = await startProbe({ url: `${server!.url}/health`, ...PROBE });
  const result = await work();
  const report = await probe.stop();
  probe = undefined;
  expect(report.errors).toBe(0);
  expect(report.statuses).toEqual({ 200: report.total });
  return { report, result };
}

test(`/health stays fast while ${CONCURRENT} hostile searches run at once`, async () => {
  await searchLoad(server!.url, 100); // warm-up
  const idle = await probed(() => Bun.sleep(IDLE_PROBE_MS));
  const loaded = await probed(() => searchLoad(server!.url, LOAD_SEARCHES));
  expect(loaded.result.unexpected).toBe(0);
  const { seconds, latencies, statuses } = loaded.result;
  const row = (name: string, r: ProbeReport, target: boolean) => [
    name,
    r.total,
    r.p50Ms,
    r.p99Ms,
    r.maxMs,
    r.over['50'] ?? 0,
    ratio(r.p99Ms, idle.report.p99Ms),
    target ? `p99 < ${TARGET.healthP99Ms} ms` : '-',
    target ? verdict(r.p99Ms < TARGET.healthP99Ms) : '-',
  ];
  printTable({
    title: `GET /health (child server) — probe ${PROBE.connections} connections, one request per ${PROBE.intervalMs} ms each`,
    columns: ['while', 'responses', 'p50 ms', 'p99 ms', 'max ms', '> 50 ms', 'p99 vs idle', 'target', 'result'],
    rows: [
      row('idle (ceiling)', idle.report, false),
      row(`${CONCURRENT} concurrent hostile searches`, loaded.report, true),
    ],
    notes: [
      `${LOAD_SEARCHES.toLocaleString('en-US')} searches (${LIMIT} items, a fresh min_price each) in ${seconds.toFixed(1)} s: ` +
        `${Math.round(LOAD_SEARCHES / seconds)}/s, client latency p50 ${pct(latencies, 50).toFixed(0)} ms, p99 ${pct(latencies, 99).toFixed(0)} ms; ` +
        `answers by status ${JSON.stringify(statuses)} (422: q over ${MAX_Q} characters).`,
      'the 50 searching clients run in this process, the probe in another; all share the 2 cores.',
    ],
  });
}, 300_000);
