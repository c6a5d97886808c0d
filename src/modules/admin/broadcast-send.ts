import { and, eq } from 'drizzle-orm';
import type { Clock } from '../../lib/clock.ts';
import type { Logger } from '../../lib/logger.ts';
import type { Pacer } from '../../lib/pacer.ts';
import type { Db } from '../../store/database.ts';
import { broadcastRecipients, broadcasts } from '../../store/schema/index.ts';
import type { Users } from '../users/service.ts';
import {
  BROADCAST_JOB,
  type BroadcastCounts,
  type BroadcastJob,
  type BroadcastRow,
  type Broadcasts,
} from './broadcast.ts';
import type { JobSink } from '../orders/service.ts';

/** What one send came to: out, the user blocked the bot, Telegram said wait, or another refusal. */
export type SendOutcome =
  | { kind: 'sent' }
  | { kind: 'blocked' }
  | { kind: 'retry'; retryAfterSeconds: number }
  | { kind: 'failed'; error: string };

export interface BroadcastSenderPorts {
  send: (telegramId: number, message: { text: string; photo: string | null }) => Promise<SendOutcome>;
  /** Shows the progress (or, with `done`, the final report) on the operator's message. */
  progress?: (broadcast: BroadcastRow, counts: BroadcastCounts, done: boolean) => Promise<unknown>;
}

export interface BroadcastSenderDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  broadcasts: Pick<Broadcasts, 'get' | 'counts'>;
  users: Pick<Users, 'setBlockedBot'>;
  jobs: JobSink;
  /** Shared by every batch of this process: <= 25 messages in any second (Telegram allows ~30). */
  pacer: Pacer;
  sleep: (ms: number) => Promise<void>;
  ports: () => BroadcastSenderPorts | undefined;
  onOutcome?: (outcome: 'sent' | 'blocked' | 'failed' | 'rate_limited') => void;
}

/** A batch is about 10 s of sending: each one a short durable job, the next enqueued by the last. */
export const BATCH_SIZE = 250;
/** The progress message is edited at most this often. */
export const PROGRESS_EVERY_MS = 5_000;
/** A message Telegram keeps answering 429 to is given up after this many waits. */
const MAX_RETRIES = 5;

/**
 * The broadcast job: sends the next batch of pending recipients. Each recipient is marked
 * `sending` (committed) before its message goes out, so a crash or a restart never sends anyone
 * twice: the resumed job takes the next `pending` one. A 429 pauses every send for retry_after
 * and the same message is tried again (it did not go out); a 403 marks the user as having
 * blocked the bot (skipped by the next broadcasts). Cancel is seen before each send.
 */
export function createBroadcastSender(deps: BroadcastSenderDeps) {
  const { db, clock, pacer } = deps;
  const log = deps.logger.child({ component: 'broadcast' });

  const mark = (
    broadcastId: number,
    userId: number,
    status: 'sending' | 'sent' | 'blocked' | 'failed',
    error?: string,
  ) =>
    db
      .update(broadcastRecipients)
      .set({ status, error: error ?? null, updatedAt: clock.now() })
      .where(and(eq(broadcastRecipients.broadcastId, broadcastId), eq(broadcastRecipients.userId, userId)))
      .run();

  const nextPending = (broadcastId: number) =>
    db
      .select()
      .from(broadcastRecipients)
      .where(and(eq(broadcastRecipients.broadcastId, broadcastId), eq(broadcastRecipients.status, 'pending')))
      .orderBy(broadcastRecipients.userId)
      .get();

  async function sendOne(
    ports: BroadcastSenderPorts,
    telegramId: number,
    message: { text: string; photo: string | null },
  ): Promise<SendOutcome> {
    for (let attempt = 0; ; attempt++) {
      await pacer.take();
      const outcome = await ports
        .send(telegramId, message)
        .catch((error: unknown): SendOutcome => ({ kind: 'failed', error: String(error) }));
      if (outcome.kind !== 'retry') return outcome;
      deps.onOutcome?.('rate_limited');
      if (attempt >= MAX_RETRIES) return { kind: 'failed', error: `still 429 after ${MAX_RETRIES} waits` };
      const waitMs = outcome.retryAfterSeconds * 1000;
      pacer.pause(waitMs);
      log.warn({ telegramId, retryAfter: outcome.retryAfterSeconds }, 'broadcast: Telegram asked to wait');
      await deps.sleep(waitMs);
    }
  }

  async function showProgress(ports: BroadcastSenderPorts, id: number, done: boolean) {
    const row = deps.broadcasts.get(id);
    db.update(broadcasts).set({ progressAt: clock.now() }).where(eq(broadcasts.id, id)).run();
    await ports.progress?.(row, deps.broadcasts.counts(id), done)?.catch?.(() => undefined);
  }

  /** Runs one batch; resolves with whether the broadcast still has recipients to go. */
  async function runBatch({ broadcastId, seq }: BroadcastJob): Promise<boolean> {
    const ports = deps.ports();
    if (!ports) throw new Error('broadcasts need the bot (TELEGRAM_TOKEN)');
    let row = deps.broadcasts.get(broadcastId);
    for (let n = 0; n < BATCH_SIZE; n++) {
      row = deps.broadcasts.get(broadcastId);
      if (row.status !== 'sending') break;
      const recipient = nextPending(broadcastId);
      if (!recipient) break;
      mark(broadcastId, recipient.userId, 'sending');
      const outcome = await sendOne(ports, recipient.telegramId, { text: row.text, photo: row.photo });
      if (outcome.kind === 'sent') mark(broadcastId, recipient.userId, 'sent');
      else if (outcome.kind === 'blocked') {
        mark(broadcastId, recipient.userId, 'blocked');
        deps.users.setBlockedBot(recipient.userId, true);
      } else if (outcome.kind === 'failed') mark(broadcastId, recipient.userId, 'failed', outcome.error);
      deps.onOutcome?.(outcome.kind === 'retry' ? 'failed' : outcome.kind);
      if (clock.now() - (row.progressAt ?? 0) >= PROGRESS_EVERY_MS) await showProgress(ports, broadcastId, false);
    }
    row = deps.broadcasts.get(broadcastId);
    const more = row.status === 'sending' && nextPending(broadcastId) !== undefined;
    if (more) {
      deps.jobs.enqueue(BROADCAST_JOB, { broadcastId, seq: seq + 1 } satisfies BroadcastJob, {
        uniqueKey: `broadcast:${broadcastId}:${seq + 1}`,
      });
      return true;
    }
    if (row.status === 'sending')
      db.update(broadcasts).set({ status: 'done', updatedAt: clock.now() }).where(eq(broadcasts.id, broadcastId)).run();
    await showProgress(ports, broadcastId, true);
    return false;
  }

  return { runBatch };
}

export type BroadcastSender = ReturnType<typeof createBroadcastSender>;
