/**
 * Memory of the catalog cache (issue 10, item 3): 1,000 distinct 100-item pages of products
 * with 5,000-character descriptions (about 0.5 MB of JSON each, 0.5 GB in all) asked of a
 * server in a child process. Its RSS may grow by at most CACHE_MAX_MB + 64 MB. The ceiling,
 * measured in the same run: the same requests to the same server with CACHE_TTL=0 (nothing
 * kept), whose growth is what serving such pages costs without any cache.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rssOf, sampleRss } from '../tests/support/upload.ts';
import { seedCatalog } from './support/search-catalog.ts';
import { startTechbot, type ChildServer } from './support/server-process.ts';
import { printTable, verdict } from './support/table.ts';

const SHAPE = { products: 2_000, longEvery: 1, longChars: 5_000, shortChars: 0 } as const;
const PAGES = 1_000;
const CONCURRENT = 8;
const CACHE_MAX_MB = 64;
const MB = 1024 * 1024;

let dataDir: string;
const servers: ChildServer[] = [];

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'techbot-bench-cache-memory-'));
  seedCatalog(join(dataDir, 'techbot.db'), SHAPE);
}, 120_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** Page `n`: a min_price of its own makes every page a distinct cache key. */
const page = (server: ChildServer, n: number) => `${server.url}/api/products?limit=100&sort=newest&min_price=${n}`;

async function evictions(server: ChildServer): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('cache_evictions_total{') && l.includes('cache="catalog"'));
  return line ? Number(line.split(' ').pop()) : 0;
}

/** RSS before (after a warm-up), peak while the 1,000 pages are served, and after. */
async function serve(cacheTtl: string) {
  const server = await startTechbot({
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    CACHE_TTL: cacheTtl,
    CACHE_MAX_MB: String(CACHE_MAX_MB),
    RATE_LIMIT_REQUESTS: '1000000',
    RATE_LIMIT_WINDOW: '1',
  });
  servers.push(server);
  for (let i = 0; i < 20; i++) await (await fetch(page(server, 0))).arrayBuffer(); // JIT, statements, worker
  const before = rssOf(server.pid);
  const sampler = sampleRss(server.pid, 20);
  let next = 0;
  let bytes = 0;
  const client = async () => {
    for (let n = next++; n < PAGES; n = next++) {
      const response = await fetch(page(server, n));
      expect(response.status).toBe(200);
      bytes += (await response.arrayBuffer()).byteLength;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENT }, client));
  const peak = sampler.stop();
  return { before, peak, after: rssOf(server.pid), bytes, evictions: await evictions(server) };
}

test(`${PAGES.toLocaleString('en-US')} distinct large catalog pages: RSS growth under CACHE_MAX_MB + 64 MB`, async () => {
  const uncached = await serve('0');
  const cached = await serve('3600');
  const limitMb = CACHE_MAX_MB + 64;
  const growth = (r: typeof cached) => (r.peak - r.before) / MB;
  expect(cached.evictions).toBeGreaterThan(0);
  const row = (name: string, r: typeof cached, target: boolean) => [
    name,
    Math.round(r.bytes / MB),
    Math.round(r.before / MB),
    Math.round(r.peak / MB),
    Math.round(r.after / MB),
    Math.round(growth(r)),
    r.evictions,
    target ? `< ${limitMb} MB` : '-',
    target ? verdict(growth(r) < limitMb) : '-',
  ];
  printTable({
    title: `${PAGES.toLocaleString('en-US')} distinct 100-item pages of ${SHAPE.products.toLocaleString('en-US')} products with ${SHAPE.longChars.toLocaleString('en-US')}-character descriptions, ${CONCURRENT} at a time (child server, CACHE_MAX_MB=${CACHE_MAX_MB})`,
    columns: [
      'server',
      'MB served',
      'RSS before MB',
      'RSS peak MB',
      'RSS after MB',
      'peak growth MB',
      'evictions',
      'target',
      'result',
    ],
    rows: [
      row('CACHE_TTL=0, nothing kept (ceiling)', uncached, false),
      row('CACHE_TTL=3600, cache bounded in bytes', cached, true),
    ],
    notes: ['RSS from /proc/<pid>/status, sampled every 20 ms; "before" is after 20 warm-up requests.'],
  });
}, 300_000);
