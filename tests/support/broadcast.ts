/**
 * A broadcast to many fake Telegram users on a fake clock, driven batch by batch as the queue
 * would: the real admin services (draft, start, sender, pacer) over an in-memory app; a send
 * port that answers 429 with retry_after on demand and 403 for users who blocked the bot; and
 * optionally a "kill" (the process dies with one message in flight) and a restart (a new sender,
 * the unfinished batch job run again). Used by the test (rules) and the bench (figures).
 */
import { createApp, type App } from '../../src/app.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { createPacer } from '../../src/lib/pacer.ts';
import { BROADCAST_PER_SECOND } from '../../src/modules/admin/index.ts';
import type { BroadcastJob } from '../../src/modules/admin/broadcast.ts';
import { createBroadcastSender, type SendOutcome } from '../../src/modules/admin/broadcast-send.ts';
import { fakeClock, tempDir, testConfig } from './env.ts';
import { migratedStore } from './database.ts';

/** A restart and the job's lease running out take at least this long. */
const RESTART_MS = 30_000;

export interface BroadcastRunOptions {
  users: number;
  /** Every n-th send is answered 429 with `retryAfterSeconds`. */
  rateLimitEvery?: number;
  retryAfterSeconds?: number;
  /** Users whose index is a multiple of this have blocked the bot. */
  blockedEvery?: number;
  /** The process dies during this send (1-based), its message possibly out; then restarts. */
  killAtSend?: number;
}

export interface BroadcastFigures {
  recipients: number;
  /** Deliveries per Telegram id (a value of 2 would be a duplicate). */
  received: Map<number, number>;
  sendTimes: number[];
  rateLimited: number;
  blocked: number;
  maxInAnySecond: number;
  fakeSeconds: number;
  progressEdits: { at: number; done: boolean }[];
  counts: Record<string, number>;
  app: App;
  blockedMarked: number;
}

export async function runBroadcast(options: BroadcastRunOptions): Promise<BroadcastFigures> {
  const clock = fakeClock();
  const dir = tempDir('techbot-broadcast-');
  const app = createApp({
    config: testConfig(dir.path, {}),
    logger: createLogger({ level: 'fatal' }),
    clock,
    databasePath: ':memory:',
    store: migratedStore(),
  });
  const ids: number[] = [];
  for (let i = 1; i <= options.users; i++)
    ids.push(app.users.upsertTelegram({ telegramId: 10_000_000 + i, languageCode: i % 2 ? 'en' : 'fr' }).telegramId!);
  const blockedIds = new Set(options.blockedEvery ? ids.filter((_, i) => (i + 1) % options.blockedEvery! === 0) : []);

  const sleep = async (ms: number) => clock.advance(ms);
  const received = new Map<number, number>();
  const sendTimes: number[] = [];
  const progressEdits: { at: number; done: boolean }[] = [];
  const queued: BroadcastJob[] = [];
  const jobs = { enqueue: (_kind: string, payload: unknown) => void queued.push(payload as BroadcastJob) };
  let calls = 0;
  let rateLimited = 0;
  let killed = false;
  const send = async (telegramId: number): Promise<SendOutcome> => {
    calls++;
    if (options.killAtSend && calls === options.killAtSend && !killed) {
      killed = true;
      // The message reached Telegram, then the process died before recording it.
      received.set(telegramId, (received.get(telegramId) ?? 0) + 1);
      return new Promise<never>(() => undefined);
    }
    if (options.rateLimitEvery && calls % options.rateLimitEvery === 0) {
      rateLimited++;
      return { kind: 'retry', retryAfterSeconds: options.retryAfterSeconds ?? 3 };
    }
    if (blockedIds.has(telegramId)) return { kind: 'blocked' };
    sendTimes.push(clock.now());
    received.set(telegramId, (received.get(telegramId) ?? 0) + 1);
    return { kind: 'sent' };
  };
  const sender = () =>
    createBroadcastSender({
      db: app.store.db,
      clock,
      logger: createLogger({ level: 'fatal' }),
      broadcasts: app.admin.broadcasts,
      users: app.users,
      jobs,
      pacer: createPacer({ limit: BROADCAST_PER_SECOND, windowMs: 1000, clock, sleep }),
      sleep,
      ports: () => ({ send, progress: async (_b, _c, done) => void progressEdits.push({ at: clock.now(), done }) }),
    });

  // The app's own sender is never run here (it would sleep for real): only start() needs to see a bot.
  app.admin.connect({ broadcast: { send } });
  const draft = app.admin.broadcasts.draft('tg:1', { text: '<b>News</b>: a new course is out' });
  app.admin.broadcasts.start('tg:1', draft.id, { chatId: 1, messageId: 1 });
  const started = clock.now();
  // The queue: the first job was enqueued by start() through app.queue; take it from there.
  let job: BroadcastJob | undefined = { broadcastId: draft.id, seq: 1 };
  let current = sender();
  while (job) {
    const running = current.runBatch(job);
    const outcome = await Promise.race([running, new Promise<'stuck'>((resolve) => setTimeout(resolve, 50, 'stuck'))]);
    if (outcome === 'stuck') {
      // Killed mid-batch: a new process runs the same (unfinished) job again once its lease ran out.
      clock.advance(RESTART_MS);
      current = sender();
      continue;
    }
    job = outcome ? queued.shift() : undefined;
  }
  const sorted = [...sendTimes].sort((a, b) => a - b);
  let maxInAnySecond = 0;
  for (let i = 0, j = 0; j < sorted.length; j++) {
    while (sorted[j]! - sorted[i]! >= 1000) i++;
    maxInAnySecond = Math.max(maxInAnySecond, j - i + 1);
  }
  const blockedMarked = ids.filter((id) => app.users.findByTelegramId(id)!.blockedBot).length;
  const figures: BroadcastFigures = {
    recipients: options.users,
    received,
    sendTimes,
    rateLimited,
    blocked: blockedIds.size,
    maxInAnySecond,
    fakeSeconds: (clock.now() - started) / 1000,
    progressEdits,
    counts: app.admin.broadcasts.counts(draft.id),
    app,
    blockedMarked,
  };
  await app.queue.stop();
  app.files.close();
  app.store.close();
  dir.cleanup();
  return figures;
}
