/**
 * setWebhook / deleteWebhook / getWebhookInfo, and the delivery of queued updates to the webhook:
 * one JSON POST per update, the secret in `X-Telegram-Bot-Api-Secret-Token`, updates of one chat
 * in order (different chats in parallel), a non-2xx answer retried with doubling delays (or after
 * its Retry-After) a few times, then dropped. Every attempt's status is kept on the update record.
 */
import { STATUS_CODES } from 'node:http';
import type { MethodHandler } from './methods.ts';
import { ApiError, Described, TelegramErrors } from './protocol.ts';
import { bad, boolOf, intOf, nowSeconds, textOf, type FakeState } from './state.ts';
import {
  abortLongPoll,
  dropPending,
  setAllowedUpdates,
  setStatus,
  type UpdateRecord,
  type WebhookAttempt,
} from './updates.ts';

export interface WebhookConfig {
  url: string;
  secret_token?: string;
  max_connections: number;
}

/** How hard delivery tries; real Telegram keeps trying for much longer, tests need seconds. */
export interface WebhookRetryPolicy {
  /** POSTs per update before it is dropped (default 4). */
  attempts: number;
  /** Wait after the first failure, doubled after each next one (default 25 ms)... */
  firstDelayMs: number;
  /** ...up to this, which also caps a Retry-After (default 1000 ms). */
  maxDelayMs: number;
  /** A POST unanswered after this counts as failed (default 30 s; grammY's own limit is 10 s). */
  timeoutMs: number;
}

export interface WebhookState {
  config?: WebhookConfig;
  last_error_date?: number;
  last_error_message?: string;
  retry: WebhookRetryPolicy;
  /** Chats whose update is being POSTed right now. */
  busy: Set<string>;
  stopped: boolean;
}

export const newWebhookState = (retry: Partial<WebhookRetryPolicy> = {}): WebhookState => ({
  retry: { attempts: 4, firstDelayMs: 25, maxDelayMs: 1000, timeoutMs: 30_000, ...retry },
  busy: new Set(),
  stopped: false,
});

const SECRET_SHAPE = /^[A-Za-z0-9_-]{1,256}$/;
/** Methods Telegram does not run when a webhook answers with them (tdlib WebhookActor::handle). */
const NOT_AS_REPLY = /^(get|setwebhook$|deletewebhook$|close$|logout$)/i;

/** Updates of one chat (or one user's queries) go one at a time, in order. */
function queueKey(update: UpdateRecord['update']): string {
  for (const value of Object.values(update)) {
    const item = value as { chat?: { id?: number }; from?: { id?: number } } | null;
    if (item && typeof item === 'object') return String(item.chat?.id ?? item.from?.id ?? 'other');
  }
  return 'other';
}

interface Outcome {
  attempt: WebhookAttempt;
  retryAfterS?: number;
  reply?: { method: string; params: Record<string, unknown> };
}

async function post(config: WebhookConfig, record: UpdateRecord, timeoutMs: number): Promise<Outcome> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (config.secret_token) headers['X-Telegram-Bot-Api-Secret-Token'] = config.secret_token;
  let response: Response;
  try {
    response = await fetch(config.url, {
      method: 'POST',
      headers,
      body: JSON.stringify(record.update),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const timedOut = error instanceof Error && error.name === 'TimeoutError';
    return { attempt: { status: 0, error: timedOut ? 'Read timeout expired' : 'Connection refused' } };
  }
  const body = await response.text().catch(() => '');
  if (response.ok) return { attempt: { status: response.status }, reply: webhookReply(body) };
  const reason = response.statusText || STATUS_CODES[response.status] || '';
  const retryAfter = Number(response.headers.get('retry-after'));
  return {
    attempt: { status: response.status, error: `Wrong response from the webhook: ${response.status} ${reason}`.trim() },
    ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterS: retryAfter } : {}),
  };
}

/** A 2xx body may itself be a Bot API call: `{ "method": "sendMessage", ... }`. */
function webhookReply(body: string): Outcome['reply'] {
  try {
    const { method, ...params } = JSON.parse(body) as { method?: unknown };
    return typeof method === 'string' && method !== '' && !NOT_AS_REPLY.test(method) ? { method, params } : undefined;
  } catch {
    return undefined;
  }
}

async function deliver(state: FakeState, record: UpdateRecord, config: WebhookConfig): Promise<void> {
  setStatus(state, record, 'delivering');
  const { attempts, firstDelayMs, maxDelayMs, timeoutMs } = state.webhook.retry;
  let delay = firstDelayMs;
  for (let attempt = 1; ; attempt++) {
    if (state.webhook.config !== config || state.webhook.stopped) return setStatus(state, record, 'pending');
    const outcome = await post(config, record, timeoutMs);
    record.deliveries.push(outcome.attempt);
    if (!outcome.attempt.error) {
      if (outcome.reply) await state.runWebhookReply(outcome.reply.method, outcome.reply.params);
      return setStatus(state, record, 'acknowledged');
    }
    state.webhook.last_error_date = nowSeconds(state);
    state.webhook.last_error_message = outcome.attempt.error;
    if (attempt >= attempts) return setStatus(state, record, 'dropped');
    const wait = outcome.retryAfterS === undefined ? delay : Math.min(outcome.retryAfterS * 1000, maxDelayMs);
    delay = Math.min(delay * 2, maxDelayMs);
    await Bun.sleep(wait);
  }
}

/** Starts POSTing every queued update whose chat is not already busy. */
export function pumpWebhook(state: FakeState): void {
  const { config, busy, stopped } = state.webhook;
  if (!config || stopped) return;
  for (const record of state.updates.queue) {
    const key = queueKey(record.update);
    if (record.status !== 'pending' || busy.has(key)) continue;
    busy.add(key);
    void deliver(state, record, config).finally(() => {
      busy.delete(key);
      pumpWebhook(state);
    });
  }
}

export const webhookMethods: Record<string, MethodHandler> = {
  setWebhook: (call) => {
    const { state, params } = call;
    const url = textOf(params.url);
    if (url === '') return webhookMethods.deleteWebhook!(call);
    if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) throw bad('invalid webhook URL specified');
    const secret = params.secret_token === undefined ? undefined : textOf(params.secret_token);
    if (secret !== undefined && !SECRET_SHAPE.test(secret)) throw bad('secret token contains unallowed characters');
    const max_connections = Math.min(100, Math.max(1, intOf(params.max_connections, 40)));
    const drop = boolOf(params.drop_pending_updates);
    setAllowedUpdates(state, params.allowed_updates);
    const current = state.webhook.config;
    if (
      current &&
      current.url === url &&
      current.secret_token === secret &&
      current.max_connections === max_connections &&
      !drop
    ) {
      return new Described(true, 'Webhook is already set');
    }
    if (drop) dropPending(state);
    abortLongPoll(state, new ApiError(TelegramErrors.terminatedBySetWebhook()));
    state.webhook.config = { url, ...(secret ? { secret_token: secret } : {}), max_connections };
    state.webhook.last_error_date = undefined;
    state.webhook.last_error_message = undefined;
    state.wake();
    return new Described(true, 'Webhook was set');
  },

  deleteWebhook: ({ state, params }) => {
    if (boolOf(params.drop_pending_updates)) dropPending(state);
    if (!state.webhook.config) return new Described(true, 'Webhook is already deleted');
    state.webhook.config = undefined;
    return new Described(true, 'Webhook was deleted');
  },

  getWebhookInfo: ({ state }) => {
    const { config, last_error_date, last_error_message } = state.webhook;
    return {
      url: config?.url ?? '',
      has_custom_certificate: false,
      pending_update_count: state.updates.queue.length,
      ...(config ? { max_connections: config.max_connections } : {}),
      ...(last_error_date ? { last_error_date, last_error_message } : {}),
      ...(state.updates.allowed ? { allowed_updates: state.updates.allowed } : {}),
    };
  },
};
