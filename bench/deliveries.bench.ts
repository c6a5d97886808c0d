/**
 * Deliveries per second: `deliver` jobs of paid orders run by the app's own queue (createApp,
 * file database in WAL, DELIVER_JOB's concurrency) for a course whose file already has its
 * Telegram `file_id`: each job re-sends the file by that id (sendDocument), moves the order to
 * `delivered` and sends the thank-you, through the bot's Api to a fake Bot API over HTTP on
 * 127.0.0.1 (support/bot-api.ts). The ceiling, in the same run: as many raw sendDocument calls
 * with that file_id straight to the same fake, from a bare fetch client at the same concurrency.
 * The paid orders of a run are written in one synchronous stretch (the queue wakes after it);
 * the run is timed from there to the last deliver job's finish. Runs interleave: raw, app.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileCaption } from '../src/modules/files/telegram-delivery.ts';
import { DELIVER_JOB } from '../src/modules/orders/job-options.ts';
import type { RecordedCall } from '../tests/fakes/telegram.ts';
import type { ChatMessage } from '../tests/fakes/telegram/state.ts';
import { attachCourseFile, type CourseFile } from '../tests/support/course-file.ts';
import { BOT_TOKEN, sentMessage, startBotShop, type BotShop } from './support/bot-shop.ts';
import { printTable, ratio } from './support/table.ts';

const ROUNDS = 3;
const ORDERS = { warm: 200, round: 1_500 } as const;
const CONCURRENCY = DELIVER_JOB.concurrency ?? 1;
const TITLE = 'Bitcoin from zero';
const WAIT_MS = 60_000;

interface Run {
  deliveries: number;
  ms: number;
  cpuMicros: number;
}

let shop: BotShop;
let course: CourseFile;
let productId: string;
let nextBuyer = 830_000_000;
let nextChat = 840_000_000;

beforeAll(async () => {
  shop = await startBotShop('deliveries', [TITLE]);
  productId = shop.products[0]!.id;
  const sqlite = shop.app.store.sqlite;
  course = await attachCourseFile(dirname(sqlite.filename), sqlite, productId);
}, 60_000);

afterAll(async () => {
  await shop?.app.stop();
  await shop?.api.stop();
  if (shop) rmSync(shop.dataDir, { recursive: true, force: true });
});

const sql = <T>(query: string, ...params: (string | number)[]) =>
  shop.app.store.sqlite.query(query).get(...params) as T;
const telegramFileId = () =>
  sql<{ id: string | null }>('SELECT telegram_file_id AS id FROM files WHERE id = ?', course.id).id;

/** `count` buyers with a Telegram chat, each with a paid order of the course (deliver jobs enqueued). */
function payOrders(count: number): { buyers: number[]; orderIds: string[] } {
  const { users, orders } = shop.app;
  const buyers: number[] = [];
  const orderIds: string[] = [];
  for (let i = 0; i < count; i++) {
    const telegramId = ++nextBuyer;
    const buyer = users.upsertTelegram({ telegramId, firstName: 'Bench', languageCode: 'en' });
    const { order } = orders.create({ buyerId: buyer.id, productId, method: 'crypto' });
    orders.transition(order.id, { to: 'paid', actor: 'bench' });
    buyers.push(telegramId);
    orderIds.push(order.id);
  }
  // The sale notices are not deliveries (their sellers have no Telegram chat anyway).
  shop.app.store.sqlite.run("DELETE FROM jobs WHERE kind = 'notify-sale' AND status = 'ready'");
  return { buyers, orderIds };
}

/** Pays `count` orders at once and waits until the queue has run every deliver job. */
async function deliverRun(count: number) {
  const firstJob = sql<{ id: number | null }>('SELECT max(id) AS id FROM jobs').id ?? 0;
  const mark = shop.api.calls().length;
  const paid = payOrders(count);
  const cpu = process.cpuUsage();
  const started = Date.now();
  const deadline = started + WAIT_MS;
  let jobs = { done: 0, dead: 0, last: 0 };
  while (jobs.done + jobs.dead < count) {
    if (Date.now() > deadline) throw new Error(`deliveries not done after ${WAIT_MS} ms: ${JSON.stringify(jobs)}`);
    await Bun.sleep(20);
    jobs = sql(
      `SELECT count(*) FILTER (WHERE status = 'done') AS done, count(*) FILTER (WHERE status = 'dead') AS dead,
         max(finished_at) AS last FROM jobs WHERE kind = 'deliver' AND id > ?`,
      firstJob,
    );
  }
  const used = process.cpuUsage(cpu);
  expect(jobs.dead).toBe(0);
  const run: Run = { deliveries: count, ms: jobs.last - started, cpuMicros: used.user + used.system };
  return { run, ...paid, calls: shop.api.calls().slice(mark) };
}

/** `count` raw sendDocument calls by file_id, `CONCURRENCY` at a time, each to its own chat. */
async function rawRun(count: number, fileId: string) {
  const mark = shop.api.calls().length;
  const url = `${shop.api.apiRoot}/bot${BOT_TOKEN}/sendDocument`;
  const chats = Array.from({ length: count }, () => ++nextChat);
  let next = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) {
        const chat_id = chats[next++]!;
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ chat_id, document: fileId, caption: fileCaption(TITLE) }),
        });
        const answer = (await response.json()) as { ok: boolean; result: ChatMessage };
        if (!answer.ok || answer.result.document?.file_id !== fileId) throw new Error(JSON.stringify(answer));
      }
    }),
  );
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const run: Run = { deliveries: count, ms, cpuMicros: used.user + used.system };
  return { run, chats, calls: shop.api.calls().slice(mark) };
}

/** Exactly one document per chat, the cached file_id, answered 200. */
function oneDocumentEach(calls: RecordedCall[], chats: number[], fileId: string) {
  const documents = calls.filter((call) => call.method === 'sendDocument');
  expect(documents.length).toBe(chats.length);
  expect(new Set(documents.map((call) => Number(call.params.chat_id)))).toEqual(new Set(chats));
  for (const call of documents) {
    expect(call.status).toBe(200);
    expect(call.params.document).toBe(fileId);
    expect(call.files).toEqual([]);
  }
}

test('the first delivery uploads the file and keeps its file_id; the next re-sends it by that id, as the raw call does', async () => {
  expect(telegramFileId()).toBeNull();
  const first = await deliverRun(1);
  const upload = first.calls.find((call) => call.method === 'sendDocument')!;
  expect(upload.files.map((file) => file.sha256)).toEqual([course.sha256]);
  const fileId = telegramFileId();
  expect(fileId).toBe(sentMessage(upload).document!.file_id);

  const second = await deliverRun(1);
  oneDocumentEach(second.calls, second.buyers, fileId!);
  expect(shop.app.orders.get(second.orderIds[0]!).status).toBe('delivered');
  const thanks = second.calls.filter((call) => call.method === 'sendMessage');
  expect(thanks.map((call) => String(call.params.text))).toEqual([expect.stringContaining(TITLE)]);

  const raw = await rawRun(1, fileId!);
  oneDocumentEach(raw.calls, raw.chats, fileId!);
}, 30_000);

test('deliveries per second: deliver jobs re-sending a cached file_id against raw sendDocument calls', async () => {
  const fileId = telegramFileId()!;
  expect(fileId).toBeTruthy();
  const runs: { raw: Run[]; app: Run[] } = { raw: [], app: [] };
  for (let round = -1; round < ROUNDS; round++) {
    const count = round < 0 ? ORDERS.warm : ORDERS.round;
    const raw = await rawRun(count, fileId);
    oneDocumentEach(raw.calls, raw.chats, fileId);
    const app = await deliverRun(count);
    oneDocumentEach(app.calls, app.buyers, fileId);
    for (const buyer of app.buyers) {
      expect(shop.api.chat(buyer).filter((message) => message.document !== undefined)).toHaveLength(1);
    }
    for (const id of app.orderIds) expect(shop.app.orders.get(id).status).toBe('delivered');
    if (round < 0) continue; // warm-up: checked, not counted
    runs.raw.push(raw.run);
    runs.app.push(app.run);
  }

  const rate = (run: Run) => run.deliveries / (run.ms / 1000);
  const cpuPer = (run: Run) => run.cpuMicros / run.deliveries;
  const best = (list: Run[]) => list.reduce((a, b) => (rate(b) > rate(a) ? b : a));
  const leastCpu = (list: Run[]) => Math.min(...list.map(cpuPer));
  const top = best(runs.raw);
  const row = (name: string, list: Run[], calls: number) => [
    name,
    Math.round(rate(best(list))),
    (best(list).ms / 1000).toFixed(2),
    list.reduce((sum, run) => sum + run.deliveries, 0),
    calls,
    Math.round(leastCpu(list)),
    ratio(rate(best(list)), rate(top)),
    ratio(leastCpu(list), leastCpu(runs.raw)),
  ];
  const perRun = (list: Run[]) => list.map((run) => Math.round(rate(run)).toLocaleString('en-US')).join(', ');
  printTable({
    title:
      `Deliveries of a cached file_id — ${ORDERS.round.toLocaleString('en-US')} paid orders per run, ` +
      `concurrency ${CONCURRENCY} (DELIVER_JOB), best of ${ROUNDS} interleaved runs`,
    columns: [
      'sender',
      'deliveries/s',
      'run s',
      'deliveries (all runs)',
      'Bot API calls/delivery',
      'CPU µs/delivery',
      'deliveries/s vs raw',
      'CPU vs raw',
    ],
    rows: [
      row('raw sendDocument by file_id, bare fetch (ceiling)', runs.raw, 1),
      row('app: deliver jobs (queue, file_id, delivered, thank-you)', runs.app, 2),
    ],
    notes: [
      `every run deliveries/s — raw: ${perRun(runs.raw)}; app: ${perRun(runs.app)}`,
      'no target: issue 16 names none for deliveries; this row set is the baseline.',
      'checked on every run (warm-up included): each buyer got exactly one document, by the cached file_id (no upload), ' +
        'answered 200; every order ends delivered; no deliver job dead; the raw calls one document per chat',
      'CPU = this process: the app (or the raw client) and the fake Bot API answering both; the queue is polled for the end every 20 ms.',
      "app timed from the paid orders' commit to the last deliver job's finished_at; their notify-sale jobs are removed (not deliveries).",
    ],
  });
}, 300_000);
