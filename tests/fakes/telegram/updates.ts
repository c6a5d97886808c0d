/**
 * The update queue and getUpdates long polling. Updates get increasing update_ids; getUpdates
 * returns those from `offset` on (at most `limit`), and calling it with a higher offset confirms
 * (forgets) the earlier ones. With `timeout` and nothing queued it really waits, and answers as
 * soon as an update arrives. A webhook, when set, takes the queue instead (webhook.ts).
 */
import type { MethodHandler } from './methods.ts';
import { ApiError, TelegramErrors } from './protocol.ts';
import { intOf, type FakeState } from './state.ts';

/**
 * pending: queued; sent: returned by getUpdates, not confirmed yet; confirmed: a later getUpdates
 * offset passed it; delivering / acknowledged: webhook POST under way / answered 2xx; dropped:
 * forgotten (negative offset, drop_pending_updates, webhook gave up); filtered: its type is not
 * in allowed_updates, so Telegram never queued it.
 */
export type UpdateStatus = 'pending' | 'sent' | 'confirmed' | 'delivering' | 'acknowledged' | 'dropped' | 'filtered';
export const SETTLED: readonly UpdateStatus[] = ['confirmed', 'acknowledged', 'dropped', 'filtered'];

export interface WebhookAttempt {
  /** HTTP status, or 0 when no answer came (connection refused, timeout). */
  status: number;
  error?: string;
}

export interface UpdateRecord {
  update: { update_id: number } & Record<string, unknown>;
  /** `message`, `callback_query`, ... */
  type: string;
  status: UpdateStatus;
  /** Webhook POSTs of this update, in order. */
  deliveries: WebhookAttempt[];
}

interface LongPoll {
  offset: number;
  limit: number;
  answer: (updates: unknown[]) => void;
  fail: (error: ApiError) => void;
}

export interface UpdateQueue {
  /** "Update identifiers start from a certain positive number and increase sequentially." */
  nextId: number;
  records: UpdateRecord[];
  /** Queued and not yet confirmed / acknowledged, in update_id order. */
  queue: UpdateRecord[];
  /** Set by getUpdates / setWebhook `allowed_updates`; undefined = the default set. */
  allowed?: string[];
  poll?: LongPoll;
}

export const newUpdateQueue = (): UpdateQueue => ({ nextId: 100_000_001, records: [], queue: [] });

/** Telegram's default: every update type except these three. */
const NOT_BY_DEFAULT = ['chat_member', 'message_reaction', 'message_reaction_count'];
const LONG_POLL_MAX_TIMEOUT_S = 50;

export function setStatus(state: FakeState, record: UpdateRecord, status: UpdateStatus): void {
  record.status = status;
  if (SETTLED.includes(status)) state.updates.queue = state.updates.queue.filter((queued) => queued !== record);
  state.events.emit({ kind: 'update-status', updateId: record.update.update_id, status });
}

/** "If not specified, the previous setting will be used"; an empty list means the default. */
export function setAllowedUpdates(state: FakeState, value: unknown): void {
  if (!Array.isArray(value)) return;
  state.updates.allowed = value.length === 0 ? undefined : value.map(String);
}

const isAllowed = (state: FakeState, type: string) =>
  state.updates.allowed ? state.updates.allowed.includes(type) : !NOT_BY_DEFAULT.includes(type);

/** Queues an update (`{ message: ... }`, without update_id) and hands it on. */
export function enqueueUpdate(state: FakeState, body: Record<string, unknown>): UpdateRecord {
  const type = Object.keys(body).find((key) => key !== 'update_id') ?? 'unknown';
  const record: UpdateRecord = { update: { update_id: 0, ...body }, type, status: 'pending', deliveries: [] };
  state.updates.records.push(record);
  // Like the Bot API server, types the bot did not subscribe to are never queued.
  if (!isAllowed(state, type)) {
    setStatus(state, record, 'filtered');
    return record;
  }
  record.update.update_id = state.updates.nextId++;
  state.updates.queue.push(record);
  state.wake();
  return record;
}

export function dropPending(state: FakeState): void {
  for (const record of [...state.updates.queue]) setStatus(state, record, 'dropped');
}

/** Applies `offset` (confirming or forgetting) and takes the batch to return. */
function take(state: FakeState, offset: number, limit: number) {
  const { queue } = state.updates;
  if (offset > 0) {
    for (const record of queue.filter((r) => r.update.update_id < offset)) setStatus(state, record, 'confirmed');
  } else if (offset < 0) {
    // "updates starting from -offset update from the end of the queue. All previous updates will be forgotten."
    for (const record of queue.slice(0, Math.max(0, queue.length + offset))) setStatus(state, record, 'dropped');
  }
  const batch = state.updates.queue.slice(0, limit);
  for (const record of batch) if (record.status === 'pending') setStatus(state, record, 'sent');
  return batch.map((record) => record.update);
}

/** The one long poll allowed to wait (or none); announced so tests can wait for it. */
function setPoll(state: FakeState, poll: LongPoll | undefined): void {
  const was = state.updates.poll !== undefined;
  state.updates.poll = poll;
  if (was !== (poll !== undefined)) state.events.emit({ kind: 'long-poll', waiting: poll !== undefined });
}

/** A new update arrived: a waiting long poll answers (on the next tick, so a burst comes together). */
export function wakeLongPoll(state: FakeState): void {
  const poll = state.updates.poll;
  if (!poll) return;
  setTimeout(() => {
    if (state.updates.poll !== poll) return;
    setPoll(state, undefined);
    poll.answer(take(state, poll.offset, poll.limit));
  }, 0);
}

/** Ends a waiting long poll with a 409 (another getUpdates, or setWebhook). */
export function abortLongPoll(state: FakeState, error: ApiError): void {
  const poll = state.updates.poll;
  setPoll(state, undefined);
  poll?.fail(error);
}

/** Stopping: a waiting long poll answers with what it has (nothing). */
export function releaseLongPoll(state: FakeState): void {
  const poll = state.updates.poll;
  setPoll(state, undefined);
  poll?.answer([]);
}

export const updateMethods: Record<string, MethodHandler> = {
  getUpdates: ({ state, params, signal }) => {
    if (state.webhook.config) throw new ApiError(TelegramErrors.webhookActive());
    const offset = intOf(params.offset, 0);
    const limit = Math.min(100, Math.max(1, intOf(params.limit, 100)));
    const timeout = Math.min(LONG_POLL_MAX_TIMEOUT_S, Math.max(0, intOf(params.timeout, 0)));
    setAllowedUpdates(state, params.allowed_updates);
    const batch = take(state, offset, limit);
    if (batch.length > 0 || timeout === 0) return batch;
    // Only one long poll may wait: the older one is ended with 409, the new one waits.
    abortLongPoll(state, new ApiError(TelegramErrors.otherGetUpdates()));
    return new Promise<unknown[]>((resolve, reject) => {
      const poll: LongPoll = {
        offset,
        limit,
        answer: (updates) => settle(() => resolve(updates)),
        fail: (error) => settle(() => reject(error)),
      };
      const timer = setTimeout(() => {
        if (state.updates.poll === poll) setPoll(state, undefined);
        poll.answer([]);
      }, timeout * 1000);
      // The client went away (grammY aborts its poll on bot.stop()): nobody waits any more.
      const onAbort = () => state.updates.poll === poll && releaseLongPoll(state);
      signal.addEventListener('abort', onAbort);
      let done = false;
      function settle(finish: () => void) {
        if (done) return;
        done = true;
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        finish();
      }
      setPoll(state, poll);
    });
  },
};
