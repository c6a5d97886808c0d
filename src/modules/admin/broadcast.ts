import { and, count, eq, sql } from 'drizzle-orm';
import type { Clock } from '../../lib/clock.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import type { Db } from '../../store/database.ts';
import { broadcastRecipients, broadcasts, type BroadcastAudience } from '../../store/schema/index.ts';
import type { JobSink } from '../orders/service.ts';
import type { OrderStats } from '../orders/stats.ts';
import type { Audience, Reachable } from '../users/audience.ts';
import type { Audit } from './audit.ts';

export type { BroadcastAudience };

export type BroadcastRow = typeof broadcasts.$inferSelect;
export const BROADCAST_JOB = 'broadcast';
export interface BroadcastJob {
  broadcastId: number;
  /** The batch number: each batch is its own durable job (uniqueKey), the next enqueued by the last. */
  seq: number;
}

export interface BroadcastsDeps {
  db: Db;
  clock: Clock;
  audit: Audit;
  audience: Audience;
  orders: Pick<OrderStats, 'buyerIds'>;
  jobs: JobSink;
  /** Whether messages can go out (the bot is connected); a broadcast is not started without. */
  canSend: () => boolean;
  /** The people behind seller accounts (sellers module). */
  sellerUserIds: () => number[];
}

export type BroadcastCounts = Record<'pending' | 'sending' | 'sent' | 'blocked' | 'failed', number>;

/**
 * Broadcasts, the operator's side: a draft (text, optional photo, audience) whose recipients are
 * counted for the preview; started (recipients frozen, first batch job enqueued, audited in one
 * transaction); cancelled; counted. Sending is broadcast-send.ts.
 */
export function createBroadcasts({ db, clock, audit, audience, orders, jobs, canSend, sellerUserIds }: BroadcastsDeps) {
  function recipients(target: BroadcastAudience): Reachable[] {
    if (target.kind === 'language') return audience.reachable({ language: target.language });
    if (target.kind === 'sellers') return audience.reachable({ userIds: sellerUserIds() });
    if (target.kind === 'buyers') return audience.reachable({ userIds: orders.buyerIds() });
    return audience.reachable();
  }

  function get(id: number): BroadcastRow {
    const row = db.select().from(broadcasts).where(eq(broadcasts.id, id)).get();
    if (!row) throw notFound(`broadcast ${id}`);
    return row;
  }

  function draft(
    actor: string,
    input: { text: string; photo?: string | null; audience?: BroadcastAudience },
  ): BroadcastRow {
    const text = input.text.trim();
    if (text.length < 1 || text.length > (input.photo ? 1024 : 4096)) {
      throw new AppError('validation_failed', 'invalid broadcast', [
        { in: 'body', field: 'text', message: `1 to ${input.photo ? 1024 : 4096} characters` },
      ]);
    }
    const now = clock.now();
    return db
      .insert(broadcasts)
      .values({
        actor,
        text,
        photo: input.photo ?? null,
        audience: input.audience ?? { kind: 'all' },
        status: 'draft',
        createdAt: now,
        updatedAt: now,
      })
      .returning()
      .get();
  }

  function setAudience(id: number, target: BroadcastAudience) {
    const row = get(id);
    if (row.status !== 'draft') throw new AppError('conflict', `this broadcast is ${row.status}`);
    db.update(broadcasts).set({ audience: target, updatedAt: clock.now() }).where(eq(broadcasts.id, id)).run();
    return { broadcast: get(id), count: recipients(target).length };
  }

  /** Freezes the recipients and enqueues the first batch; the progress message, if any, is kept. */
  function start(actor: string, id: number, progress?: { chatId: number; messageId: number }): BroadcastRow {
    return db.transaction(
      (tx) => {
        const row = get(id);
        if (row.status !== 'draft') throw new AppError('conflict', `this broadcast is ${row.status}`);
        if (!canSend()) throw new AppError('unavailable', 'broadcasts are sent by the bot: set TELEGRAM_TOKEN');
        const people = recipients(row.audience);
        if (people.length === 0) throw new AppError('conflict', 'nobody to send it to');
        const now = clock.now();
        for (let i = 0; i < people.length; i += 500) {
          tx.insert(broadcastRecipients)
            .values(
              people.slice(i, i + 500).map((p) => ({
                broadcastId: id,
                userId: p.userId,
                telegramId: p.telegramId,
                status: 'pending' as const,
                updatedAt: now,
              })),
            )
            .run();
        }
        const started = tx
          .update(broadcasts)
          .set({
            status: 'sending',
            total: people.length,
            progressChatId: progress?.chatId,
            progressMessageId: progress?.messageId,
            updatedAt: now,
          })
          .where(eq(broadcasts.id, id))
          .returning()
          .get()!;
        jobs.enqueue(BROADCAST_JOB, { broadcastId: id, seq: 1 } satisfies BroadcastJob, {
          uniqueKey: `broadcast:${id}:1`,
          tx,
        });
        audit.record(
          {
            actor,
            action: 'broadcast',
            target: `broadcast:${id}`,
            details: { audience: row.audience, recipients: people.length },
          },
          tx,
        );
        return started;
      },
      { behavior: 'immediate' },
    );
  }

  function cancel(actor: string, id: number): BroadcastRow {
    return db.transaction(
      (tx) => {
        const row = get(id);
        if (row.status === 'done' || row.status === 'cancelled')
          throw new AppError('conflict', `this broadcast is ${row.status}`);
        const updated = tx
          .update(broadcasts)
          .set({ status: 'cancelled', updatedAt: clock.now() })
          .where(eq(broadcasts.id, id))
          .returning()
          .get()!;
        audit.record({ actor, action: 'broadcast_cancel', target: `broadcast:${id}` }, tx);
        return updated;
      },
      { behavior: 'immediate' },
    );
  }

  function counts(id: number): BroadcastCounts {
    const result: BroadcastCounts = { pending: 0, sending: 0, sent: 0, blocked: 0, failed: 0 };
    for (const row of db
      .select({ status: broadcastRecipients.status, n: count() })
      .from(broadcastRecipients)
      .where(eq(broadcastRecipients.broadcastId, id))
      .groupBy(broadcastRecipients.status)
      .all())
      result[row.status] = row.n;
    return result;
  }

  const list = (limit = 20) => db.select().from(broadcasts).orderBy(sql`${broadcasts.id} DESC`).limit(limit).all();
  const pendingCount = (id: number) =>
    db
      .select({ n: count() })
      .from(broadcastRecipients)
      .where(and(eq(broadcastRecipients.broadcastId, id), eq(broadcastRecipients.status, 'pending')))
      .get()!.n;

  return {
    draft,
    setAudience,
    start,
    cancel,
    get,
    counts,
    list,
    pendingCount,
    recipientsOf: (target: BroadcastAudience) => recipients(target).length,
  };
}

export type Broadcasts = ReturnType<typeof createBroadcasts>;
