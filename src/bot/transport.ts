import {
  createConcurrentSink,
  createRunner,
  createSource,
  type RunnerHandle,
  type UpdateSupplier,
} from '@grammyjs/runner';
import { BotError, webhookCallback, type Bot } from 'grammy';
import type { Update } from 'grammy/types';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import { backoffDelay, retryForever, timerSleep, type Backoff, type Sleep } from '../lib/retry-forever.ts';
import { apiSignal } from './api-signal.ts';
import { profileCalls } from './commands.ts';
import type { BotContext } from './context.ts';
import { createBotStatus, describeFailure, type BotStatus } from './status.ts';
import { WEBHOOK_PATH } from './webhook-path.ts';

export { WEBHOOK_PATH };

/** Update kinds the bot asks Telegram for; payments need pre_checkout_query, blocks my_chat_member. */
export const ALLOWED_UPDATES = [
  'message',
  'edited_message',
  'callback_query',
  'pre_checkout_query',
  'my_chat_member',
] as const;

/** Telegram resends a webhook update that took longer; answering 200 after this avoids duplicates. */
const WEBHOOK_TIMEOUT_MS = 9_000;
/** getUpdates waits this long for updates (Bot API `timeout`, seconds). */
const LONG_POLL_SECONDS = 30;
/**
 * Reaching the Bot API (getMe, setWebhook / deleteWebhook, getUpdates): 1 s, doubling, at most
 * 5 s apart, so the bot is back within ~5 s of Telegram (or the network) coming back.
 */
export const CONNECT_BACKOFF: Backoff = { minMs: 1_000, maxMs: 5_000 };
/** The cosmetic profile calls: a refusal is rarely fixed quickly, so once a minute, then hourly. */
export const PROFILE_BACKOFF: Backoff = { minMs: 60_000, maxMs: 3_600_000 };
/** A connect call that has not answered by then is given up and tried again (a silent network). */
const CALL_TIMEOUT_MS = 15_000;

/**
 * The webhook's secret_token: derived from the bot token with HMAC, so it is stable across
 * restarts (updates queued during a deploy still authenticate) yet reveals nothing of the token.
 */
export const webhookSecret = (token: string) =>
  new Bun.CryptoHasher('sha256', 'techbot telegram webhook').update(token).digest('hex');

export interface BotTransportOptions {
  token: string;
  /** Set: webhook mode at PUBLIC_URL + /telegram/webhook. Unset: long polling. */
  publicUrl?: string;
  logger: Logger;
  clock: Clock;
  /** Overrides for tests: the waits between attempts, and how to wait. */
  connectBackoff?: Backoff;
  profileBackoff?: Backoff;
  sleep?: Sleep;
  /** Whether this process starts as the one that polls or registers the webhook (default true). */
  leading?: boolean;
}

export interface BotTransport {
  readonly mode: 'polling' | 'webhook';
  /**
   * POST /telegram/webhook, framework-neutral: 401 on a wrong or missing secret, 400 on a
   * body that is not an update, 404 in polling mode, 503 before the bot knows who it is
   * (Telegram retries), else 200 once the update is handled.
   */
  webhook(request: Request): Promise<Response>;
  /**
   * Connects in the background, for as long as it takes: getMe, then setWebhook (webhook mode)
   * or deleteWebhook and getUpdates (polling), each retried with capped backoff; then the
   * profile (commands, descriptions, menu button), best effort. Resolves once the first attempt
   * is over, whether the bot is up or retrying; never rejects.
   */
  start(): Promise<void>;
  /** Stops connecting and polling and waits for the updates in hand; the webhook is left registered. */
  stop(): Promise<void>;
  status(): BotStatus;
  /**
   * Several processes share one bot (REDIS_URL): only the leader polls (two pollers get 409) or
   * registers the webhook; every process serves webhook updates. Losing the lead stops polling.
   */
  setLeading(leading: boolean): Promise<void>;
}

export function createBotTransport(bot: Bot<BotContext>, options: BotTransportOptions): BotTransport {
  const { token, publicUrl, logger, clock, sleep = timerSleep } = options;
  const connectBackoff = options.connectBackoff ?? CONNECT_BACKOFF;
  const profileBackoff = options.profileBackoff ?? PROFILE_BACKOFF;
  const mode = publicUrl ? 'webhook' : 'polling';
  const webhookUrl = `${publicUrl}${WEBHOOK_PATH}`;
  const secret = webhookSecret(token);
  const log = logger.child({ component: 'telegram' });
  const status = createBotStatus(clock);
  const stopping = new AbortController();
  let runner: RunnerHandle | undefined;
  let leading = options.leading ?? true;
  let connecting: Promise<void> | undefined;
  const callback =
    mode === 'webhook'
      ? webhookCallback(bot, 'std/http', {
          secretToken: secret,
          onTimeout: 'return',
          timeoutMilliseconds: WEBHOOK_TIMEOUT_MS,
        })
      : undefined;

  /** Calls the Bot API until it answers (or `until` aborts: stop); each failure marks the bot down. */
  function untilDone<T>(
    what: string,
    call: (signal: AbortSignal) => Promise<T>,
    timeoutMs = CALL_TIMEOUT_MS,
    until = stopping.signal,
  ): Promise<T> {
    return retryForever(() => call(AbortSignal.any([until, AbortSignal.timeout(timeoutMs)])), {
      backoff: connectBackoff,
      signal: until,
      sleep,
      onFailure(error, { attempt, delayMs }) {
        const detail = `${what}: ${describeFailure(error, token)}`;
        const first = status.down(detail);
        log[first ? 'warn' : 'debug'](
          { error: detail, attempt, retryInMs: delayMs },
          'telegram bot cannot reach the Bot API; retrying',
        );
        firstAttemptOver();
      },
    });
  }

  /** getUpdates with the runner's batch size, keeping the offset across failures (no update handled twice). */
  let offset = 0;
  const supplier = {
    supply: (batchSize: number, signal: Parameters<UpdateSupplier<Update>['supply']>[1]) =>
      untilDone(
        'getUpdates',
        async (callSignal) => {
          const updates = await bot.api.getUpdates(
            {
              offset,
              limit: Math.max(1, Math.min(batchSize, 100)),
              timeout: LONG_POLL_SECONDS,
              allowed_updates: [...ALLOWED_UPDATES],
            },
            apiSignal(callSignal),
          );
          status.up(mode);
          const last = updates.at(-1);
          if (last) offset = last.update_id + 1;
          return updates;
        },
        LONG_POLL_SECONDS * 1000 + CALL_TIMEOUT_MS,
        // The runner's signal: aborted when it stops, which ends the retries too.
        signal as unknown as AbortSignal,
      ),
  };

  function startPolling() {
    const sink = createConcurrentSink<Update>({ consume: (update) => bot.handleUpdate(update) }, async (error) => {
      try {
        await bot.errorHandler(error as BotError<BotContext>);
      } catch (failure) {
        log.error({ err: failure }, 'the bot error handler failed');
      }
    });
    const started = createRunner(createSource(supplier), sink);
    runner = started;
    started.start();
    // The supplier only gives up when stopped; anything else ending the runner is a bug to see.
    started.task()?.catch((error: unknown) => {
      if (runner !== started) return;
      status.down(`polling stopped: ${describeFailure(error, token)}`);
      log.error({ err: error }, 'telegram polling stopped');
    });
  }

  /** Profile calls still failing are tried again, later and later, until they pass or the bot stops. */
  async function setProfile() {
    let pending = profileCalls(bot.api);
    for (let round = 0; ; round++) {
      const failed: typeof pending = [];
      for (const call of pending) {
        try {
          await call.run(AbortSignal.any([stopping.signal, AbortSignal.timeout(CALL_TIMEOUT_MS)]));
          status.setupDone(call.name);
        } catch (error) {
          if (stopping.signal.aborted) return;
          const detail = describeFailure(error, token);
          status.setupFailed(call.name, detail);
          failed.push(call);
          log.warn(
            { call: call.name, error: detail },
            'telegram bot profile not set; the bot works without it, tried again later',
          );
        }
      }
      pending = failed;
      if (pending.length === 0) return;
      await sleep(backoffDelay(round, profileBackoff), stopping.signal).catch(() => undefined);
      if (stopping.signal.aborted) return;
    }
  }

  let firstAttemptOver: () => void = () => undefined;

  async function lead() {
    if (mode === 'webhook') {
      await untilDone('setWebhook', (signal) =>
        bot.api.setWebhook(
          webhookUrl,
          { secret_token: secret, allowed_updates: [...ALLOWED_UPDATES] },
          apiSignal(signal),
        ),
      );
    } else {
      await untilDone('deleteWebhook', (signal) => bot.api.deleteWebhook(undefined, apiSignal(signal)));
      if (leading && !runner && !stopping.signal.aborted) startPolling();
    }
  }

  async function connect() {
    bot.botInfo = await untilDone('getMe', (signal) => bot.api.getMe(apiSignal(signal)));
    if (leading) await lead();
    status.up(mode);
    const at = mode === 'webhook' ? { url: webhookUrl } : {};
    log.info({ bot: bot.botInfo.username, mode, leading, ...at }, 'telegram bot started');
    firstAttemptOver();
    await setProfile();
  }

  return {
    mode,
    status: () => status.get(),
    async webhook(request) {
      if (!callback) return new Response('"not found"', { status: 404 });
      if (!bot.isInited()) return new Response(null, { status: 503, headers: { 'retry-after': '5' } });
      try {
        return await callback(request);
      } catch (error) {
        if (error instanceof BotError) {
          // Outside the error boundary (ordering, metrics): logged; Telegram must not resend it.
          log.error({ err: error.error, update_id: error.ctx.update.update_id }, 'telegram update failed');
          return new Response(null, { status: 200 });
        }
        log.warn({ err: error }, 'telegram webhook request rejected');
        return new Response('"bad request"', { status: 400 });
      }
    },
    start() {
      const first = new Promise<void>((resolve) => (firstAttemptOver = resolve));
      connecting ??= connect().catch((error: unknown) => {
        if (stopping.signal.aborted) return;
        status.down(describeFailure(error, token));
        log.error({ err: error }, 'telegram bot failed to start');
      });
      return Promise.race([first, connecting]);
    },
    async setLeading(next) {
      if (next === leading) return;
      leading = next;
      log.info({ leading }, next ? 'telegram: this process leads' : 'telegram: this process follows');
      // Before getMe answered, connect() sees the new value itself.
      if (next && bot.isInited()) await lead().catch(() => undefined);
      if (!next) {
        const handle = runner;
        runner = undefined;
        await handle?.stop();
      }
    },
    async stop() {
      // Both in the same tick: the runner's source closes before it sees its aborted getUpdates,
      // so it ends quietly instead of reporting a failure.
      stopping.abort(new Error('the bot is stopping'));
      const handle = runner;
      runner = undefined;
      await handle?.stop();
      await connecting;
    },
  };
}
