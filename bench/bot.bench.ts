/**
 * Bot updates per second through the webhook: the real app (createApp, webhook mode, its
 * POST /telegram/webhook checking X-Telegram-Bot-Api-Secret-Token) handles three kinds of
 * update, each posted as Telegram posts it and each answered through a fake Bot API over HTTP
 * on 127.0.0.1 (support/bot-api.ts): `/start` (the menu), a search (a plain text message: the
 * result list) and a product-card press (a callback_query on a result list the bot really sent,
 * with the data of its first product button: the card edited in place, the query answered).
 * The ceiling, in the same run: a bare grammY Bot with one echo handler behind grammY's
 * webhookCallback on a bare Bun.serve, answering through the same fake with one sendMessage.
 * Every user is set up with one real search first (the list its press comes from); each
 * update is sent once, from a separate Bun process (support/post-load.ts), 40 at a time
 * (Telegram's default max_connections). Runs interleave: ceiling, /start, search, press.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { rmSync } from 'node:fs';
import { Bot, webhookCallback } from 'grammy';
import { cb } from '../src/bot/keyboards/callback-data.ts';
import { webhookSecret } from '../src/bot/transport.ts';
import { WEBHOOK_PATH } from '../src/bot/webhook-path.ts';
import type { RecordedCall } from '../tests/fakes/telegram.ts';
import type { ChatMessage } from '../tests/fakes/telegram/state.ts';
import {
  BOT_TOKEN,
  FIRST_NAME,
  messageUpdate,
  pressUpdate,
  sentMessage,
  startBotShop,
  webhookRequest,
  type BotShop,
} from './support/bot-shop.ts';
import { checkAppRun, checkCeilingRun, KINDS, type Expected, type Group, type Kind } from './support/bot-checks.ts';
import { measurePostInProcess, writeRequests, type PostRun, type PreparedRequest } from './support/post-load.ts';
import { printTable, ratio } from './support/table.ts';

const CONNECTIONS = 40;
const ROUNDS = 3;
const USERS = { warm: 150, round: 1_500 } as const;
const SEARCH = 'bitcoin';
const TITLES = [
  'Bitcoin from zero',
  'Bitcoin wallets and fees',
  'Lightning payments for shops',
  'Bitcoin self-custody in practice',
  'Python for data analysis',
  'Excel for small businesses',
  'Bitcoin mining economics',
  'Photography basics',
  'Marketing on Telegram',
  'Bitcoin tax reporting',
];

let shop: BotShop;
let ceiling: ReturnType<typeof Bun.serve>;
let ceilingUrl: string;
/** What every user gets, as the probe user got it in the first test. */
const expected: Expected = { search: SEARCH, menu: '', list: '', card: '', productData: '' };
let nextUpdateId = 1;
let nextMessageId = 1_000_000;

beforeAll(async () => {
  shop = await startBotShop('bot', TITLES);
  // The ceiling: grammY alone, the same token (so the same secret) and the same fake Bot API.
  const bare = new Bot(BOT_TOKEN, { client: { apiRoot: shop.api.apiRoot } });
  bare.use((ctx) => ctx.reply(ctx.message?.text ?? ctx.callbackQuery?.data ?? '?'));
  await bare.init();
  const callback = webhookCallback(bare, 'std/http', { secretToken: webhookSecret(BOT_TOKEN) });
  ceiling = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    fetch: (request) =>
      new URL(request.url).pathname === WEBHOOK_PATH ? callback(request) : new Response('not found', { status: 404 }),
  });
  ceilingUrl = `http://127.0.0.1:${ceiling.port}${WEBHOOK_PATH}`;
}, 60_000);

afterAll(async () => {
  await ceiling?.stop(true);
  await shop?.app.stop();
  await shop?.api.stop();
  if (shop) rmSync(shop.dataDir, { recursive: true, force: true });
});

const message = (userId: number, text: string) => messageUpdate(nextUpdateId++, userId, nextMessageId++, text);
const press = (userId: number, list: ChatMessage) => pressUpdate(shop.api, nextUpdateId++, userId, list, dataOf(list));
/** The data of the first product button of a result list the bot sent. */
function dataOf(list: ChatMessage): string {
  const data = list.reply_markup?.inline_keyboard
    .flat()
    .map((button) => button.callback_data)
    .find((value) => value !== undefined && cb.product.unpack(value) !== undefined);
  if (!data) throw new Error(`no product button in ${JSON.stringify(list)}`);
  return data;
}

/** Posts one update; returns the Bot API calls it caused. */
async function deliver(url: string, update: object): Promise<RecordedCall[]> {
  const mark = shop.api.calls().length;
  const response = await fetch(url, { method: 'POST', ...webhookRequest(update) });
  expect(response.status).toBe(200);
  await response.text();
  return shop.api.calls().slice(mark);
}
const methods = (calls: RecordedCall[]) => calls.map((call) => `${call.method} ${call.status}`).sort();

test('the app answers /start, a search and a card press as a user sees them; the echo bot echoes each once', async () => {
  const appUrl = shop.webhookUrl;
  const user = 810_000_001;
  const [menu] = await deliver(appUrl, message(user, '/start'));
  expect(methods([menu!])).toEqual(['sendMessage 200']);
  expect(menu!.params.chat_id).toBe(user);
  expect(String(menu!.params.text)).toContain(FIRST_NAME);
  expected.menu = String(menu!.params.text);

  const found = await deliver(appUrl, message(user, SEARCH));
  expect(methods(found)).toEqual(['sendMessage 200']);
  const list = sentMessage(found[0]!);
  expected.list = String(found[0]!.params.text);
  expected.productData = dataOf(list);
  const product = shop.products.find((p) => p.id === cb.product.unpack(expected.productData)!.id)!;
  expect(product.title.toLowerCase()).toContain(SEARCH);

  const query = press(user, list);
  const pressed = await deliver(appUrl, query);
  expect(methods(pressed)).toEqual(['answerCallbackQuery 200', 'editMessageText 200']);
  const edit = pressed.find((call) => call.method === 'editMessageText')!;
  expect(edit.params).toMatchObject({ chat_id: user, message_id: list.message_id });
  expect(String(edit.params.text)).toContain(product.title);
  expected.card = String(edit.params.text);
  expect(shop.api.state.callbackQueries.get(query.callback_query.id)?.answer).toBeDefined();

  // A forged secret is refused and changes nothing.
  const mark = shop.api.calls().length;
  const forged = await fetch(appUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'X-Telegram-Bot-Api-Secret-Token': 'forged' },
    body: JSON.stringify(message(user, '/start')),
  });
  expect(forged.status).toBe(401);
  expect(shop.api.calls().length).toBe(mark);

  for (const [update, text] of [
    [message(user, '/start'), '/start'],
    [message(user, SEARCH), SEARCH],
    [press(user, list), expected.productData],
  ] as const) {
    const echoed = await deliver(ceilingUrl, update);
    expect(methods(echoed)).toEqual(['sendMessage 200']);
    expect(echoed[0]!.params).toMatchObject({ chat_id: user, text });
  }
}, 30_000);

test('bot updates per second through the webhook: the app against a bare grammY echo bot', async () => {
  const api = shop.api;
  const run = async (url: string, file: string, slice: { from: number; to: number }) => {
    const mark = api.calls().length;
    const result = await measurePostInProcess({
      url,
      requestsFile: file,
      ...slice,
      connections: CONNECTIONS,
      durationSeconds: 30,
    });
    expect(result.firstError).toBeUndefined();
    expect(result.errors).toBe(0);
    expect(result.non2xx).toBe(0);
    expect(result.total).toBe(slice.to - slice.from);
    return { result, calls: api.calls().slice(mark) };
  };

  // Set-up: every user searches once, for real; its press will come from that answer.
  let base = 820_000_000;
  const groups: Group[] = [USERS.warm, ...Array<number>(ROUNDS).fill(USERS.round)].map((size) => {
    const users = Array.from({ length: size }, () => ++base);
    return { users, lists: new Map(), slices: {} as Group['slices'] };
  });
  const everyone = groups.flatMap((group) => group.users);
  const setupStarted = performance.now();
  const setupFile = writeRequests(
    shop.dataDir,
    'bot-setup',
    everyone.map((user) => webhookRequest(message(user, SEARCH))),
  );
  const setup = await run(shop.webhookUrl, setupFile, { from: 0, to: everyone.length });
  const lists = new Map(setup.calls.map((call) => [Number(call.params.chat_id), sentMessage(call)]));
  expect(setup.calls.every((call) => call.method === 'sendMessage' && call.params.text === expected.list)).toBe(true);
  expect(lists.size).toBe(everyone.length);

  const requests: PreparedRequest[] = [];
  for (const group of groups) {
    for (const user of group.users) group.lists.set(user, lists.get(user)!);
    for (const kind of KINDS) {
      const from = requests.length;
      for (const user of group.users) {
        const update =
          kind === 'press' ? press(user, group.lists.get(user)!) : message(user, kind === '/start' ? kind : SEARCH);
        requests.push(webhookRequest(update));
      }
      group.slices[kind] = { from, to: requests.length };
    }
  }
  const file = writeRequests(shop.dataDir, 'bot', requests);
  const setupSeconds = (performance.now() - setupStarted) / 1000;

  const runs: Record<'ceiling' | Kind, PostRun[]> = { ceiling: [], '/start': [], search: [], press: [] };
  const mixes: { updates: number; ms: number; cpuMicros: number }[] = [];
  for (const [index, group] of groups.entries()) {
    const all = { from: group.slices['/start'].from, to: group.slices.press.to };
    const echo = await run(ceilingUrl, file, all);
    checkCeilingRun(echo.calls, group, expected);
    const mix = { updates: 0, ms: 0, cpuMicros: 0 };
    const kindRuns: [Kind, PostRun][] = [];
    for (const kind of KINDS) {
      const { result, calls } = await run(shop.webhookUrl, file, group.slices[kind]);
      checkAppRun(kind, calls, group, expected);
      kindRuns.push([kind, result]);
      mix.updates += result.total;
      mix.ms += result.elapsedMs;
      mix.cpuMicros += result.cpuMicrosPerRequest * result.total;
    }
    if (index === 0) continue; // the warm-up group: checked, not counted
    runs.ceiling.push(echo.result);
    for (const [kind, result] of kindRuns) runs[kind].push(result);
    mixes.push(mix);
  }

  const best = (list: PostRun[]) => list.reduce((a, b) => (b.requestsPerSec > a.requestsPerSec ? b : a));
  const leastCpu = (list: PostRun[]) => Math.min(...list.map((r) => r.cpuMicrosPerRequest));
  const top = best(runs.ceiling);
  const topCpu = leastCpu(runs.ceiling);
  const row = (name: string, list: PostRun[], calls: number) => {
    const r = best(list);
    const cpu = leastCpu(list);
    return [
      name,
      Math.round(r.requestsPerSec),
      r.p50Ms.toFixed(2),
      r.p99Ms.toFixed(2),
      list.reduce((sum, one) => sum + one.total, 0),
      calls,
      Math.round(cpu),
      ratio(r.requestsPerSec, top.requestsPerSec),
      ratio(cpu, topCpu),
    ];
  };
  const mixRate = (m: (typeof mixes)[number]) => m.updates / (m.ms / 1000);
  const bestMix = mixes.reduce((a, b) => (mixRate(b) > mixRate(a) ? b : a));
  const mixCpu = Math.min(...mixes.map((m) => m.cpuMicros / m.updates));
  const perRun = (list: PostRun[]) => list.map((r) => Math.round(r.requestsPerSec).toLocaleString('en-US')).join(', ');
  printTable({
    title:
      `POST ${WEBHOOK_PATH}, Telegram updates — ${CONNECTIONS} connections, best of ${ROUNDS} interleaved runs; ` +
      `${USERS.round.toLocaleString('en-US')} users per run, each update sent once`,
    columns: [
      'server',
      'updates/s',
      'p50 ms',
      'p99 ms',
      'updates (all runs)',
      'Bot API calls/update',
      'CPU µs/update (server + fake API)',
      'updates/s vs ceiling',
      'CPU vs ceiling',
    ],
    rows: [
      row('bare grammY Bot, one echo handler (ceiling)', runs.ceiling, 1),
      row('app: /start (the menu)', runs['/start'], 1),
      row(`app: search "${SEARCH}" (the result list)`, runs.search, 1),
      row('app: product-card press (card edited in place)', runs.press, 2),
      [
        'app: the three kinds, one after the other',
        Math.round(mixRate(bestMix)),
        '-',
        '-',
        mixes.reduce((sum, m) => sum + m.updates, 0),
        '1.33',
        Math.round(mixCpu),
        ratio(mixRate(bestMix), top.requestsPerSec),
        ratio(mixCpu, topCpu),
      ],
    ],
    notes: [
      `every run updates/s — ceiling: ${perRun(runs.ceiling)}; /start: ${perRun(runs['/start'])}; search: ${perRun(runs.search)}; press: ${perRun(runs.press)}`,
      'no target: issue 16 names none for the bot; this row set is the baseline.',
      `checked on every run (warm-up included): each update answered 200 once; the app sent each user exactly the menu, the result list, ` +
        'the card (an edit of that user’s list) and one answer to the press, the same texts as the probe user got; the echo bot one echo each',
      `server CPU = bench process CPU / updates: the server and the fake Bot API answering its calls (both in this process); ` +
        'the updates come from a child Bun process (keep-alive fetch); all share the 2 cores.',
      `set-up (not timed): ${everyone.length.toLocaleString('en-US')} users searched once through the webhook, ${setupSeconds.toFixed(1)} s; ` +
        `catalog of ${TITLES.length} courses; the app's logger silent, the bot's sessions and users in the file database (WAL).`,
    ],
  });
}, 300_000);
