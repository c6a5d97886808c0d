/**
 * Signed NOWPayments IPNs applied end to end over HTTP: POST /api/ipn/nowpayments on the real
 * app (createApp, file database in WAL) verifies the HMAC-SHA512, records and dedupes the
 * event, moves the order to `paid` and, in the same transaction, writes the entitlement, the two
 * ledger entries and enqueues `deliver` and `notify-sale`. Scenarios:
 *   - unique `finished` IPNs, each applied once (one order per IPN, 20,000 orders over 2 rounds);
 *   - duplicates: the IPNs of the previous round replayed (verify + dedupe, nothing written);
 *   - ceiling: a raw Bun.serve that reads the body and answers the same JSON.
 * Orders and payment rows are seeded up front (no provider call), the bodies are signed up front
 * (signing is not measured), and a separate Bun process sends them, a different body and
 * signature per request (support/post-load.ts). Runs are interleaved: raw, unique, duplicates.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { systemClock } from '../src/lib/clock.ts';
import { createLogger } from '../src/lib/logger.ts';
import { createQueue } from '../src/lib/queue.ts';
import { IPN_PATH } from '../src/http/routes/payments.ts';
import { verifyIpn } from '../src/modules/payments/nowpayments/signature.ts';
import {
  booksSnapshot,
  checkBooks,
  finishedIpn,
  isSold,
  seedOrders,
  signedRequest,
  type SeededOrder,
} from './support/ipn-shop.ts';
import { measurePostInProcess, writeRequests, type PostRun } from './support/post-load.ts';
import { printTable, ratio, verdict } from './support/table.ts';

const SECRET = 'bench-ipn-secret-0123456789';
const ROUNDS = 2;
const PER_ROUND = 10_000;
const WARM = 2_000;
/** Applied directly through payments.handleIpn (no HTTP), to split the cost. */
const IN_PROCESS = 2_000;
const WAL_IPNS = 200;
/** Order 0 is the probe of the first test; then the warm-up, the rounds, the in-process slice. */
const slices = {
  warm: { from: 1, to: 1 + WARM },
  round: (r: number) => ({ from: 1 + WARM + r * PER_ROUND, to: 1 + WARM + (r + 1) * PER_ROUND }),
  inProcess: { from: 1 + WARM + ROUNDS * PER_ROUND, to: 1 + WARM + ROUNDS * PER_ROUND + IN_PROCESS },
  /** Applied with checkpoints off, to count the WAL frames (pages) an IPN writes. */
  wal: { from: 1 + WARM + ROUNDS * PER_ROUND + IN_PROCESS, to: 1 + WARM + ROUNDS * PER_ROUND + IN_PROCESS + WAL_IPNS },
};
const ORDERS = slices.wal.to;
const CONNECTIONS = 50;
const SECONDS = { raw: 4, unique: 25, duplicates: 4 } as const;
const CONTENT_TYPE = 'application/json;charset=utf-8';
/** Issue 16's targets. */
const TARGET = { uniqueCpuMicros: 300, httpVsRaw: 0.25, duplicateCpuMicros: 60 } as const;
const APPLIED = '{"ok":true,"outcome":"applied"}';
const DUPLICATE = '{"ok":true,"outcome":"duplicate"}';

let dataDir: string;
let app: App;
let raw: ReturnType<typeof Bun.serve>;
let appUrl: string;
let rawUrl: string;
let seeded: SeededOrder[];
let requests: ReturnType<typeof signedRequest>[];
let requestsFile: string;
let setupSeconds = 0;

/** A local URL nobody listens on: the app must never need NOWPayments' API here. */
async function unusedLocalUrl(): Promise<string> {
  const probe = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => new Response() });
  const port = probe.port;
  await probe.stop(true);
  return `http://127.0.0.1:${port}`;
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'techbot-bench-ipn-'));
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    NOWPAYMENTS_API_KEY: 'bench-np-api-key',
    NOWPAYMENTS_IPN_SECRET: SECRET,
    NOWPAYMENTS_API_URL: await unusedLocalUrl(),
  });
  app = createApp({ config, logger: createLogger({ level: 'silent' }) });
  const started = performance.now();
  seeded = seedOrders(app, ORDERS);
  const now = Date.now();
  requests = seeded.map((order) => signedRequest(finishedIpn(order, now), SECRET));
  setupSeconds = (performance.now() - started) / 1000;
  requestsFile = writeRequests(dataDir, 'ipn', requests);
  appUrl = `http://127.0.0.1:${await app.start()}${IPN_PATH}`;
  raw = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    fetch: async (request) => {
      if (new URL(request.url).pathname !== IPN_PATH) return new Response('not found', { status: 404 });
      await request.text();
      return new Response(APPLIED, { headers: { 'content-type': CONTENT_TYPE } });
    },
  });
  rawUrl = `http://127.0.0.1:${raw.port}${IPN_PATH}`;
}, 180_000);

afterAll(async () => {
  await raw?.stop(true);
  await app?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const post = (url: string, request: { body: string; headers: Record<string, string> }) =>
  fetch(url, { method: 'POST', headers: request.headers, body: request.body });

test('an IPN is applied once, a replay is a duplicate, a bad signature is refused; raw answers alike', async () => {
  const probe = requests[0]!;
  const first = await post(appUrl, probe);
  expect(first.status).toBe(200);
  expect(first.headers.get('content-type')).toBe(CONTENT_TYPE);
  expect(await first.text()).toBe(APPLIED);
  expect(await (await post(appUrl, probe)).text()).toBe(DUPLICATE);
  const sig = probe.headers['x-nowpayments-sig']!;
  const forged = {
    ...probe,
    headers: { ...probe.headers, 'x-nowpayments-sig': (sig[0] === 'a' ? 'b' : 'a') + sig.slice(1) },
  };
  expect((await post(appUrl, forged)).status).toBe(401);
  const fromRaw = await post(rawUrl, probe);
  expect(fromRaw.status).toBe(200);
  expect(fromRaw.headers.get('content-type')).toBe(CONTENT_TYPE);
  expect(await fromRaw.text()).toBe(APPLIED);
  expect(app.store.sqlite.query('SELECT status FROM orders WHERE id = ?').get(seeded[0]!.id)).toEqual({
    status: 'paid',
  });
});

const onlyBody = (run: PostRun, body: string) => expect(run.bodies).toEqual({ [body]: run.total });
const clean = (run: PostRun) => {
  expect(run.firstError).toBeUndefined();
  expect(run.errors).toBe(0);
  expect(run.non2xx).toBe(0);
  expect(run.total).toBe(run.sent);
  expect(run.total).toBeGreaterThan(0);
};

/**
 * µs of this process's CPU (user + system: SQLite's writes to the WAL are system time) per call
 * of `fn` over `count` calls: unlike wall time, not inflated by other work sharing the cores.
 */
function cpuPerCall(count: number, fn: (i: number) => void): number {
  const started = process.cpuUsage();
  for (let i = 0; i < count; i++) fn(i);
  const { user, system } = process.cpuUsage(started);
  return (user + system) / count;
}

/**
 * The median of `cpuPerCall` over CHUNKS consecutive slices of `count` calls: a collection or a
 * neighbour's burst on the shared cores during one slice moves one figure, not the result.
 */
const CHUNKS = 5;
function medianPerCall(count: number, fn: (i: number) => void): number {
  const size = Math.floor(count / CHUNKS);
  const each = Array.from({ length: CHUNKS }, (_, c) => cpuPerCall(size, (i) => fn(c * size + i)));
  return each.sort((a, b) => a - b)[CHUNKS >> 1]!;
}

test('signed IPNs per second, end to end over HTTP, against raw Bun.serve', async () => {
  const sqlite = app.store.sqlite;
  const unique = (slice: { from: number; to: number }) =>
    measurePostInProcess({
      url: appUrl,
      requestsFile,
      ...slice,
      connections: CONNECTIONS,
      durationSeconds: SECONDS.unique,
    });
  const replay = (slice: { from: number; to: number }, seconds: number) =>
    measurePostInProcess({
      url: appUrl,
      requestsFile,
      ...slice,
      maxRequests: 1_000_000,
      connections: CONNECTIONS,
      durationSeconds: seconds,
    });
  const rawRun = (seconds: number) =>
    measurePostInProcess({
      url: rawUrl,
      requestsFile,
      from: 0,
      to: requests.length,
      maxRequests: 1_000_000,
      connections: CONNECTIONS,
      durationSeconds: seconds,
    });

  // Warm-up (JIT, connections, page cache), discarded from the figures but checked like the rest.
  const applied: { from: number; to: number }[] = [{ from: 0, to: 1 }];
  const warmRaw = await rawRun(1);
  const warm = await unique(slices.warm);
  applied.push({ from: slices.warm.from, to: slices.warm.from + warm.sent });
  const warmDup = await replay({ from: slices.warm.from, to: slices.warm.from + warm.sent }, 1);
  for (const run of [warmRaw, warm, warmDup]) clean(run);
  onlyBody(warm, APPLIED);
  onlyBody(warmDup, DUPLICATE);

  const runs: { raw: PostRun[]; unique: PostRun[]; duplicates: PostRun[] } = { raw: [], unique: [], duplicates: [] };
  for (let r = 0; r < ROUNDS; r++) {
    const slice = slices.round(r);
    runs.raw.push(await rawRun(SECONDS.raw));
    const run = await unique(slice);
    runs.unique.push(run);
    const sent = { from: slice.from, to: slice.from + run.sent };
    applied.push(sent);
    const before = booksSnapshot(sqlite);
    runs.duplicates.push(await replay(sent, SECONDS.duplicates));
    // Duplicates changed nothing at all.
    expect(booksSnapshot(sqlite)).toEqual(before);
  }
  for (const run of runs.raw) onlyBody(run, APPLIED);
  for (const run of runs.unique) onlyBody(run, APPLIED);
  for (const run of runs.duplicates) onlyBody(run, DUPLICATE);
  for (const run of [...runs.raw, ...runs.unique, ...runs.duplicates]) clean(run);

  // The same work without HTTP, to split the cost (the queue's wake-up after each enqueue
  // runs once, after the loop, instead of after each IPN).
  const dupSlice = applied[2]!;
  const verifyMicros = cpuPerCall(5_000, (i) => {
    const { body, headers } = requests[dupSlice.from + (i % (dupSlice.to - dupSlice.from))]!;
    if (!verifyIpn(body, headers['x-nowpayments-sig'], SECRET).ok) throw new Error('verify failed');
  });
  const handle = (index: number, outcome: string) => {
    const { body, headers } = requests[index]!;
    const answer = app.payments.handleIpn(body, headers['x-nowpayments-sig']!);
    if (answer.outcome !== outcome) throw new Error(`in-process IPN ${index}: ${answer.outcome}`);
  };
  // The HTTP runs leave garbage (their requests, responses, the load's sockets): collected first,
  // so that their collection is not billed to the IPNs below.
  Bun.gc(true);
  const dupMicros = cpuPerCall(5_000, (i) => handle(dupSlice.from + (i % (dupSlice.to - dupSlice.from)), 'duplicate'));
  const uniqueMicros = medianPerCall(IN_PROCESS, (i) => handle(slices.inProcess.from + i, 'applied'));
  applied.push(slices.inProcess);
  // Pages written to the WAL per IPN: from an empty WAL, checkpoints off, then back on.
  const frames = () => (sqlite.query('PRAGMA wal_checkpoint(PASSIVE)').get() as { log: number }).log;
  const { wal_autocheckpoint: autocheckpoint } = sqlite.query('PRAGMA wal_autocheckpoint').get() as {
    wal_autocheckpoint: number;
  };
  sqlite.run('PRAGMA wal_checkpoint(TRUNCATE)');
  sqlite.run('PRAGMA wal_autocheckpoint = 0');
  for (let i = slices.wal.from; i < slices.wal.to; i++) handle(i, 'applied');
  const walPagesPerIpn = frames() / WAL_IPNS;
  sqlite.run(`PRAGMA wal_autocheckpoint = ${autocheckpoint}`);
  applied.push(slices.wal);
  await Bun.sleep(50); // let the queue's wake-up run

  // The books: exactly the IPNs sent are applied, each once and in full; nothing else moved.
  const books = checkBooks(sqlite);
  const expectedPaid = new Set<number>();
  for (const { from, to } of applied) for (let i = from; i < to; i++) expectedPaid.add(i);
  const wrong = seeded.filter((order, i) => {
    const status = books.statusById.get(order.id);
    return expectedPaid.has(i) ? !isSold(status) : status !== 'awaiting_payment';
  });
  expect(wrong.length).toBe(0);
  expect(books.unbalancedLedgers).toBe(0);
  expect(books.strayLedgerEntries).toBe(0);
  expect(books.deliverJobsOff).toBe(0);
  expect(books.notifyJobsOff).toBe(0);
  expect(books.entitlementsOff).toBe(0);
  expect(books.orderEventsOff).toBe(0);
  expect(books.deliverJobs).toBe(expectedPaid.size);
  expect(books.paymentEvents).toBe(expectedPaid.size);
  expect(books.unappliedEvents).toBe(0);
  expect(books.finishedPayments).toBe(expectedPaid.size);
  expect(books.salesCount).toBe(expectedPaid.size);

  // A claim over the backlog the runs left, by a queue on the same database that runs none of
  // those kinds (as another process with other handlers would): it must find nothing, quickly.
  const backlog = (
    sqlite
      .query("SELECT count(*) AS n FROM jobs WHERE status = 'ready' AND kind IN ('deliver', 'notify-sale')")
      .get() as {
      n: number;
    }
  ).n;
  const other = createQueue({ db: app.store.db, clock: systemClock, logger: createLogger({ level: 'silent' }) });
  other.register('bench-other-kind', () => {});
  const claimStarted = performance.now();
  for (let i = 0; i < 5; i++) expect((await other.runDue()).ran).toBe(0);
  const emptyClaimMs = (performance.now() - claimStarted) / 5;

  const best = (list: PostRun[]) => list.reduce((a, b) => (b.requestsPerSec > a.requestsPerSec ? b : a));
  const leastCpu = (list: PostRun[]) => Math.min(...list.map((r) => r.cpuMicrosPerRequest));
  const ceiling = best(runs.raw);
  const ceilingCpu = leastCpu(runs.raw);
  const ms = (n: number) => n.toFixed(2);
  const row = (name: string, list: PostRun[]) => {
    const r = best(list);
    const cpu = leastCpu(list);
    return [
      name,
      Math.round(r.requestsPerSec),
      ms(r.p50Ms),
      ms(r.p99Ms),
      list.reduce((sum, run) => sum + run.total, 0),
      r.errors,
      r.non2xx,
      Math.round(cpu),
      ratio(r.requestsPerSec, ceiling.requestsPerSec),
      ratio(cpu, ceilingCpu),
    ];
  };
  const perRun = (list: PostRun[]) =>
    list
      .map((r) => `${Math.round(r.requestsPerSec).toLocaleString('en-US')} (${r.cpuPercent.toFixed(0)}% CPU)`)
      .join(', ');
  const pragma = (name: string) => Object.values(sqlite.query(`PRAGMA ${name}`).get() as object)[0];
  const httpVsRaw = best(runs.unique).requestsPerSec / ceiling.requestsPerSec;
  printTable({
    title: 'Issue 16: the money path against its targets (CPU µs of this process per IPN, in process, no HTTP)',
    columns: ['figure', 'measured', 'target', 'result'],
    rows: [
      [
        'signed unique IPN applied, server CPU per IPN (in process)',
        `${Math.round(uniqueMicros)} µs`,
        `<= ${TARGET.uniqueCpuMicros} µs`,
        verdict(uniqueMicros <= TARGET.uniqueCpuMicros),
      ],
      [
        'same over HTTP, IPNs/s vs raw Bun.serve reading the same body',
        ratio(best(runs.unique).requestsPerSec, ceiling.requestsPerSec),
        `>= ${TARGET.httpVsRaw.toFixed(2)}x`,
        verdict(httpVsRaw >= TARGET.httpVsRaw),
      ],
      [
        'duplicate IPN (verify + dedupe), in process',
        `${Math.round(dupMicros)} µs`,
        `<= ${TARGET.duplicateCpuMicros} µs`,
        verdict(dupMicros <= TARGET.duplicateCpuMicros),
      ],
    ],
    notes: [
      `WAL pages written per unique IPN: ${walPagesPerIpn.toFixed(1)} (${WAL_IPNS} IPNs, checkpoints off); ` +
        `verifyIpn alone ${verifyMicros.toFixed(1)} µs; unique: median of ${CHUNKS} slices of ${IN_PROCESS / CHUNKS} IPNs (after a full collection), duplicates over 5,000`,
    ],
  });
  printTable({
    title:
      `POST ${IPN_PATH}, signed IPNs end to end — ${CONNECTIONS} connections, best of ${ROUNDS} interleaved runs; ` +
      `${ROUNDS} x ${PER_ROUND.toLocaleString('en-US')} unique IPNs, ${SECONDS.duplicates} s of duplicates, ${SECONDS.raw} s raw`,
    columns: [
      'scenario',
      'IPNs/s',
      'p50 ms',
      'p99 ms',
      'responses (all runs)',
      'errors',
      'non-2xx',
      'server CPU µs/req',
      'IPNs/s vs raw',
      'CPU vs raw',
    ],
    rows: [
      row('raw Bun.serve, reads body, same JSON (ceiling)', runs.raw),
      row('app: unique finished IPNs (applied -> paid)', runs.unique),
      row('app: duplicate IPNs (verify + dedupe)', runs.duplicates),
    ],
    notes: [
      `every run IPNs/s (server CPU, % of one core) — raw: ${perRun(runs.raw)}; unique: ${perRun(runs.unique)}; duplicates: ${perRun(runs.duplicates)}`,
      `in process, no HTTP, CPU per call: verifyIpn ${verifyMicros.toFixed(1)} µs, handleIpn duplicate ${dupMicros.toFixed(1)} µs, ` +
        `handleIpn unique (applied) ${uniqueMicros.toFixed(1)} µs per IPN (${IN_PROCESS.toLocaleString('en-US')} IPNs)`,
      `checked after the runs: ${expectedPaid.size.toLocaleString('en-US')} orders paid, each with 2 ledger entries summing to its price, ` +
        `1 entitlement, 1 deliver + 1 notify-sale job; ${(ORDERS - expectedPaid.size).toLocaleString('en-US')} never sent still awaiting_payment; ` +
        'duplicate runs left every table as it was',
      `queue: ${backlog.toLocaleString('en-US')} deliver/notify-sale jobs still ready after the runs; ` +
        `a claim over that backlog by a queue that runs none of those kinds takes ${emptyClaimMs.toFixed(3)} ms (jobs_claim_idx: one seek per kind)`,
      `store: journal_mode=${pragma('journal_mode')}, synchronous=${pragma('synchronous')} (1 = NORMAL: no fsync per commit in WAL, only at checkpoints); ` +
        `${ORDERS.toLocaleString('en-US')} orders seeded and signed in ${setupSeconds.toFixed(1)} s`,
      'server in the bench process, load from a child Bun process (keep-alive fetch, one body per request); both share the 2 cores.',
      'SQLite has one writer: IPNs that arrive together are applied in one transaction (payments/ipn-batch.ts); throughput is CPU per IPN; p50 ~ connections / rate (queueing).',
    ],
  });
}, 300_000);
