/**
 * The fake Telegram without its transport: its state, the dispatch of a call to the method
 * handlers (with the recorded calls and the faults a test injects), and the methods a test
 * uses. ../telegram.ts serves it over HTTP; in-process.ts answers a grammY bot's calls directly.
 */
import type { Clock } from '../../../src/lib/clock.ts';
import { TelegramUser, type UserProfile } from '../../support/telegram-user.ts';
import { chatMessages } from './chats.ts';
import { commandsFor } from './commands.ts';
import { EventLog } from './events.ts';
import { methods, type FakeState } from './methods.ts';
import { newProfileState } from './profile.ts';
import {
  ApiError,
  Described,
  errorResponse,
  TelegramErrors,
  type ApiErrorBody,
  type ApiResponse,
  type ParsedRequest,
} from './protocol.ts';
import { enqueueUpdate, newUpdateQueue } from './updates.ts';
import { newWebhookState, type WebhookRetryPolicy } from './webhook.ts';
import type { FakeTelegram, RecordedCall } from '../telegram.ts';

export const TOKEN_SHAPE = /^\d+:[\w-]+$/;
const byLowerName = new Map(Object.keys(methods).map((name) => [name.toLowerCase(), name]));

export interface FakeCoreOptions {
  /** The only token accepted, like `123456:ABC-test`; the bot's id is the part before `:`. */
  token: string;
  clock?: Clock;
  botUsername?: string;
  /** How webhook delivery retries (defaults: 4 attempts, 25 ms doubling up to 1 s, 30 s timeout). */
  webhookRetry?: Partial<WebhookRetryPolicy>;
}

/** What a transport does with the core: where queued updates go, and how a webhook reply runs. */
export interface FakeTransport {
  wake(state: FakeState): void;
  runWebhookReply(method: string, params: Record<string, unknown>): Promise<void>;
}

/** The answer to one call: HTTP status, envelope and headers (a 429 carries Retry-After). */
export interface Answered {
  status: number;
  envelope: ApiResponse;
  headers: Record<string, string>;
}

/** Every test-facing method but those that depend on the transport (address, going offline, stopping). */
export type FakeSurface = Omit<FakeTelegram, 'apiRoot' | 'goOffline' | 'goOnline' | 'stop'>;

export function createFakeCore(options: FakeCoreOptions, transport: FakeTransport) {
  const { token } = options;
  if (!TOKEN_SHAPE.test(token)) throw new Error('the fake needs a token shaped like 123456:ABC-def');
  const state: FakeState = {
    botId: Number(token.split(':')[0]),
    botUsername: options.botUsername ?? 'techbot_test_bot',
    clock: options.clock ?? { now: () => Date.now() },
    events: new EventLog(),
    blocked: new Set(),
    files: new Map(),
    paths: new Map(),
    chats: new Map(),
    profiles: new Map(),
    updates: newUpdateQueue(),
    webhook: newWebhookState(options.webhookRetry),
    callbackQueries: new Map(),
    preCheckoutQueries: new Map(),
    invoices: new Map(),
    charges: new Map(),
    commands: new Map(),
    profile: newProfileState(),
    wake: () => transport.wake(state),
    runWebhookReply: (method, params) => transport.runWebhookReply(method, params),
  };
  const recorded: RecordedCall[] = [];
  const faults = new Map<string, ApiErrorBody[]>();
  const lasting = new Map<string, ApiErrorBody>();
  const forgotten = new Set<string>();

  /** Decides the answer of one Bot API call; `record` is filled on the way. */
  async function answer(
    parse: () => Promise<ParsedRequest>,
    tokenInPath: string,
    requested: string,
    record: RecordedCall,
    signal: AbortSignal,
  ): Promise<ApiResponse | ApiErrorBody> {
    let parsed: ParsedRequest;
    try {
      parsed = await parse();
    } catch (error) {
      if (error instanceof ApiError) return error.body;
      // The client went away mid-body (an aborted upload): nobody reads this answer.
      return TelegramErrors.badRequest('request body could not be read');
    }
    record.params = parsed.params;
    record.files = [...parsed.uploads.values()].map(({ field, filename, size, sha256 }) => ({
      field,
      filename,
      size,
      sha256,
    }));
    if (!TOKEN_SHAPE.test(tokenInPath)) return TelegramErrors.notFound();
    if (tokenInPath !== token) return TelegramErrors.unauthorized();
    const name = byLowerName.get(requested.toLowerCase());
    const handler = name ? methods[name] : undefined;
    if (!name || !handler) return TelegramErrors.methodNotFound();
    record.method = name;
    if (forgotten.has(name)) return TelegramErrors.methodNotFound();
    const lastingFault = lasting.get(name);
    if (lastingFault) return lastingFault;
    const fault = faults.get(name)?.shift();
    if (fault) return fault;
    try {
      const result = await handler({ ...parsed, state, signal });
      return result instanceof Described
        ? { ok: true, result: result.result, description: result.description }
        : { ok: true, result };
    } catch (error) {
      if (error instanceof ApiError) return error.body;
      console.error('fake telegram: handler failed', error);
      return TelegramErrors.internal();
    }
  }

  /** Records and answers one call of `requested` made with `tokenInPath`. */
  async function dispatch(
    parse: () => Promise<ParsedRequest>,
    tokenInPath: string,
    requested: string,
    signal: AbortSignal,
  ): Promise<Answered> {
    const record: RecordedCall = {
      method: requested,
      params: {},
      files: [],
      status: 0,
      response: { ok: true, result: null },
    };
    recorded.push(record);
    const outcome = await answer(parse, tokenInPath, requested, record, signal);
    const answered: Answered =
      'ok' in outcome ? { status: 200, envelope: outcome, headers: {} } : errorResponse(outcome);
    Object.assign(record, { status: answered.status, response: answered.envelope });
    state.events.emit({ kind: 'call', method: record.method, status: record.status, params: record.params });
    return answered;
  }

  const pushUpdate = (update: Record<string, unknown>) => enqueueUpdate(state, update);
  let nextUserId = 700_000_001;

  const surface: FakeSurface = {
    token,
    calls: (method) => recorded.filter((call) => method === undefined || call.method === method),
    lastCall(method) {
      const found = recorded.findLast((call) => call.method === method && call.status !== 0);
      if (!found)
        throw new Error(`no ${method} call; calls so far: ${recorded.map((c) => c.method).join(', ') || 'none'}`);
      return found;
    },
    waitForCall(method, match = () => true, { timeoutMs = 5000 } = {}) {
      const after = state.events.seq;
      const done = () => recorded.filter((call) => call.method === method && call.status !== 0);
      const seen = new Set(done());
      return state.events.waitFor(
        (event) =>
          event.kind === 'call' && event.method === method
            ? done().find((call) => !seen.has(call) && match(call))
            : undefined,
        {
          after,
          timeoutMs,
          describe: () => `no matching ${method} call; ${method} calls: ${JSON.stringify(done().map((c) => c.params))}`,
        },
      );
    },
    async waitForLongPoll(want = 'waiting', { timeoutMs = 5000 } = {}) {
      const waiting = want === 'waiting';
      if ((state.updates.poll !== undefined) === waiting) return;
      await state.events.waitFor(
        (event) => (event.kind === 'long-poll' && event.waiting === waiting ? true : undefined),
        {
          after: state.events.seq,
          timeoutMs,
          describe: () => `no long poll became ${want}`,
        },
      );
    },
    failNext(method, error, times = 1) {
      const queue = faults.get(method) ?? [];
      for (let i = 0; i < times; i++) queue.push(error);
      faults.set(method, queue);
    },
    failAlways: (method, error) => void lasting.set(method, error),
    forgetMethods: (...names) => {
      for (const name of names) forgotten.add(name);
    },
    restore(...names) {
      if (names.length === 0) {
        lasting.clear();
        forgotten.clear();
      }
      for (const name of names) {
        lasting.delete(name);
        forgotten.delete(name);
      }
    },
    blockUser: (chatId) => void state.blocked.add(String(chatId)),
    unblockUser: (chatId) => void state.blocked.delete(String(chatId)),
    user: (profile: UserProfile = {}) =>
      new TelegramUser({ state, pushUpdate }, { ...profile, id: profile.id ?? nextUserId++ }),
    pushUpdate,
    updates: () => [...state.updates.records],
    chat: (chatId) => chatMessages(state, chatId),
    file: (fileId) => state.files.get(fileId),
    webhook: () => state.webhook.config,
    profile: () => state.profile,
    commands: (scope, languageCode) => commandsFor(state, scope, languageCode),
    charges: () => [...state.charges.values()].map((charge) => ({ ...charge })),
  };

  return { state, dispatch, surface };
}
