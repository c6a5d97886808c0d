/**
 * The fake Telegram in the test's own process, for tests of the bot's features: a grammY API
 * transformer answers every call from the fake's state (recorded like any call), and every
 * update a simulated user makes goes straight to `bot.handleUpdate`, one at a time, in order.
 * No HTTP, no polling, no sleeps: `await user.send(...)` then `await fake.idle()` (or a wait on
 * the message the bot shows) resolves as soon as the bot is done.
 */
import { createHash } from 'node:crypto';
import { InputFile, type Transformer } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import { createFakeCore, type FakeCoreOptions, type FakeSurface } from './core.ts';
import { downloadResponse } from './files.ts';
import { methods } from './methods.ts';
import type { ParsedRequest, Upload } from './protocol.ts';
import { setStatus, type UpdateRecord } from './updates.ts';

export interface InProcessTelegram extends FakeSurface {
  /** Install first on the bot's Api (createBot's `apiTransformers`, under auto-retry): every call is answered here. */
  readonly transformer: Transformer;
  /** The bot's own profile, as getMe answers it (`bot.botInfo = fake.botInfo`: no getMe needed). */
  readonly botInfo: UserFromGetMe;
  /** Where queued updates go (`bot.handleUpdate`); set once the bot exists. */
  deliverTo(handler: (update: UpdateRecord['update']) => Promise<unknown>): void;
  /** Resolves once every update queued so far has been handled. */
  idle(): Promise<void>;
  /** Errors `bot.handleUpdate` threw (outside the bot's error boundary): none, in a healthy bot. */
  readonly escaped: unknown[];
  /** `fetch` for file downloads (`<apiRoot>/file/bot<token>/<file_path>`), answered from the fake's files. */
  readonly fetchFile: (url: string) => Promise<Response>;
}

async function bytesOf(file: InputFile): Promise<Uint8Array> {
  const raw = await file.toRaw();
  if (raw instanceof Uint8Array) return raw;
  const chunks: Uint8Array[] = [];
  for await (const chunk of raw) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** What the HTTP transport would have parsed: values as JSON, file parts under their parameter's name. */
async function parsedCall(payload: Record<string, unknown> | undefined): Promise<ParsedRequest> {
  const params: Record<string, unknown> = {};
  const uploads = new Map<string, Upload>();
  for (const [field, value] of Object.entries(payload ?? {})) {
    if (value instanceof InputFile) {
      const bytes = await bytesOf(value);
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      uploads.set(field, { field, filename: value.filename ?? field, bytes, size: bytes.byteLength, sha256 });
    } else if (value !== undefined) {
      params[field] = JSON.parse(JSON.stringify(value)) as unknown;
    }
  }
  return { params, uploads };
}

export function inProcessTelegram(options: FakeCoreOptions): InProcessTelegram {
  let handler: ((update: UpdateRecord['update']) => Promise<unknown>) | undefined;
  let queue = Promise.resolve();
  const escaped: unknown[] = [];

  /** Hands the queued updates to the bot one by one, like a polling loop that never waits. */
  async function drain() {
    const { state: fake } = core;
    for (let record = fake.updates.queue[0]; record && handler; record = fake.updates.queue[0]) {
      setStatus(fake, record, 'sent');
      try {
        await handler(record.update);
      } catch (error) {
        escaped.push(error);
      }
      setStatus(fake, record, 'confirmed');
    }
  }

  const core = createFakeCore(options, {
    wake: () => void (queue = queue.then(drain)),
    runWebhookReply: () => Promise.reject(new Error('no webhook in process')),
  });
  const { state, dispatch, surface } = core;
  const signal = new AbortController().signal;

  const transformer: Transformer = async (_prev, method, payload) => {
    const { envelope } = await dispatch(
      () => parsedCall(payload as Record<string, unknown>),
      options.token,
      method,
      signal,
    );
    return envelope as Awaited<ReturnType<Transformer>>;
  };

  return {
    ...surface,
    transformer,
    botInfo: methods.getMe!({ params: {}, uploads: new Map(), state, signal }) as UserFromGetMe,
    deliverTo(next) {
      handler = next;
      state.wake();
    },
    idle: async () => {
      // A handled update may queue more (a payment after a pre-checkout answer): wait until none is left.
      while (true) {
        const current = queue;
        await current;
        if (current === queue && (state.updates.queue.length === 0 || !handler)) return;
      }
    },
    escaped,
    fetchFile: async (url) => {
      const download = /\/file\/bot([^/]+)\/(.+)$/.exec(decodeURIComponent(new URL(url).pathname));
      return download
        ? downloadResponse(state, options.token, download[1]!, download[2]!)
        : new Response(null, { status: 404 });
    },
  };
}
