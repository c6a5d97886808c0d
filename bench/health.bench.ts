/**
 * Scenario 1: GET /health of the real app (Elysia, built through createApp) against the ceiling,
 * a raw Bun.serve answering the same body with the same content-type. Both servers run in this
 * process; autocannon runs in a child Node process (see support/load.ts). Runs are interleaved
 * (raw, app, raw, app) and the best of each is kept, to damp the noise of a shared 2-core box.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/lib/logger.ts';
import { measureInProcess, runLoad, type Run } from './support/load.ts';
import { printTable, ratio, verdict } from './support/table.ts';

const BODY = '{"status":"ok"}';
const CONTENT_TYPE = 'application/json;charset=utf-8';
const LOAD = { connections: 50, durationSeconds: 5, warmupSeconds: 1 } as const;
const ROUNDS = 2;
const TARGET_RATIO = 0.9;

let dataDir: string;
let app: App;
let raw: ReturnType<typeof Bun.serve>;
let appUrl: string;
let rawUrl: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'techbot-bench-health-'));
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
  app = createApp({ config, logger: createLogger({ level: 'silent' }) });
  appUrl = `http://127.0.0.1:${await app.start()}/health`;
  raw = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    fetch: (request) =>
      new URL(request.url).pathname === '/health'
        ? new Response(BODY, { headers: { 'content-type': CONTENT_TYPE } })
        : new Response('not found', { status: 404 }),
  });
  rawUrl = `http://127.0.0.1:${raw.port}/health`;
});

afterAll(async () => {
  await raw?.stop(true);
  await app?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test('both servers answer /health with the same status, content-type and body', async () => {
  for (const url of [appUrl, rawUrl]) {
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(CONTENT_TYPE);
    expect(await response.text()).toBe(BODY);
  }
});

const measure = (url: string) => measureInProcess({ url, ...LOAD, warmupSeconds: 0 });

test(
  'GET /health throughput: app vs raw Bun.serve',
  async () => {
    // Warm-up (JIT, first connections), discarded.
    await runLoad({ url: rawUrl, ...LOAD, durationSeconds: 1, warmupSeconds: 0 });
    await runLoad({ url: appUrl, ...LOAD, durationSeconds: 1, warmupSeconds: 0 });
    const runs: { raw: Run[]; app: Run[] } = { raw: [], app: [] };
    for (let round = 0; round < ROUNDS; round++) {
      runs.raw.push(await measure(rawUrl));
      runs.app.push(await measure(appUrl));
    }

    for (const result of [...runs.raw, ...runs.app]) {
      expect(result.total).toBeGreaterThan(0);
      expect(result.errors).toBe(0);
      expect(result.non2xx).toBe(0);
    }
    // The app still answers correctly after the load.
    const after = await fetch(appUrl);
    expect(after.status).toBe(200);
    expect(await after.text()).toBe(BODY);

    const best = (list: Run[]) => list.reduce((a, b) => (b.requestsPerSec > a.requestsPerSec ? b : a));
    const leastCpu = (list: Run[]) => Math.min(...list.map((r) => r.cpuMicrosPerRequest));
    const ceiling = best(runs.raw);
    const measured = best(runs.app);
    const achieved = measured.requestsPerSec / ceiling.requestsPerSec;
    const row = (name: string, r: Run, cpu: number) => [
      name,
      Math.round(r.requestsPerSec),
      r.p50Ms,
      r.p99Ms,
      r.total,
      r.errors,
      r.non2xx,
      cpu,
    ];
    const perRun = (list: Run[]) => list.map((r) => Math.round(r.requestsPerSec).toLocaleString('en-US')).join(', ');
    printTable({
      title: `GET /health — ${LOAD.connections} connections, ${LOAD.durationSeconds} s per run, pipelining 1, best of ${ROUNDS} interleaved runs`,
      columns: [
        'server',
        'req/s',
        'p50 ms',
        'p99 ms',
        'responses',
        'errors',
        'non-2xx',
        'server CPU µs/req',
        'req/s vs raw',
        'target',
        'result',
      ],
      rows: [
        [...row('raw Bun.serve (ceiling)', ceiling, leastCpu(runs.raw)), '1.00x', '-', '-'],
        [
          ...row('app (Elysia, createApp)', measured, leastCpu(runs.app)),
          ratio(measured.requestsPerSec, ceiling.requestsPerSec),
          `>= ${TARGET_RATIO.toFixed(2)}x`,
          verdict(achieved >= TARGET_RATIO),
        ],
      ],
      notes: [
        `every run req/s — raw: ${perRun(runs.raw)}; app: ${perRun(runs.app)}`,
        `server CPU per request, app vs raw: ${ratio(leastCpu(runs.app), leastCpu(runs.raw))} (lowest of the runs; bench process CPU time / responses)`,
        `server CPU use during the best runs: raw ${ceiling.cpuPercent.toFixed(0)}%, app ${measured.cpuPercent.toFixed(0)}% of one core` +
          ' (well under 100% = autocannon, not the server, set the pace; then the CPU column is the telling figure)',
        'servers in the bench process, autocannon in a child node process; both share the 2 cores.',
        'autocannon latency resolution is 1 ms.',
      ],
    });
  },
  { timeout: 120_000 },
);
