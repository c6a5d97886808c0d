import { run, type RunnerHandle } from '@grammyjs/runner';
import { createHmac } from 'node:crypto';
import { BotError, webhookCallback, type Bot } from 'grammy';
import type { Logger } from '../lib/logger.ts';
import { commandsFor } from './commands.ts';
import type { BotContext } from './context.ts';
import { createI18n, LOCALES } from './middleware/i18n.ts';

import { WEBHOOK_PATH } from './webhook-path.ts';

export { WEBHOOK_PATH };

/** Update kinds the bot asks Telegram for; payments need pre_checkout_query, blocks my_chat_member. */
export const ALLOWED_UPDATES = ['message', 'edited_message', 'callback_query', 'pre_checkout_query', 'my_chat_member'] as const;

/** Telegram resends a webhook update that took longer; answering 200 after this avoids duplicates. */
const WEBHOOK_TIMEOUT_MS = 9_000;

/**
 * The webhook's secret_token: derived from the bot token with HMAC, so it is stable across
 * restarts (updates queued during a deploy still authenticate) yet reveals nothing of the token.
 */
export const webhookSecret = (token: string) => createHmac('sha256', 'techbot telegram webhook').update(token).digest('hex');

export interface BotTransportOptions {
  token: string;
  /** Set: webhook mode at PUBLIC_URL + /telegram/webhook. Unset: long polling. */
  publicUrl?: string;
  logger: Logger;
}

export interface BotTransport {
  readonly mode: 'polling' | 'webhook';
  /**
   * POST /telegram/webhook, framework-neutral: 401 on a wrong or missing secret, 400 on a
   * body that is not an update, 404 in polling mode, else 200 once the update is handled.
   */
  webhook(request: Request): Promise<Response>;
  /** Registers the commands, then starts polling or registers the webhook. */
  start(): Promise<void>;
  /** Stops polling and waits for the updates in hand; the webhook is left registered. */
  stop(): Promise<void>;
}

export function createBotTransport(bot: Bot<BotContext>, { token, publicUrl, logger }: BotTransportOptions): BotTransport {
  const mode = publicUrl ? 'webhook' : 'polling';
  const secret = webhookSecret(token);
  let runner: RunnerHandle | undefined;
  const callback =
    mode === 'webhook'
      ? webhookCallback(bot, 'std/http', { secretToken: secret, onTimeout: 'return', timeoutMilliseconds: WEBHOOK_TIMEOUT_MS })
      : undefined;

  async function setCommands() {
    const i18n = createI18n();
    await bot.api.setMyCommands(commandsFor(i18n, 'en'));
    for (const locale of LOCALES) await bot.api.setMyCommands(commandsFor(i18n, locale), { language_code: locale });
  }

  return {
    mode,
    async webhook(request) {
      if (!callback) return new Response('"not found"', { status: 404 });
      try {
        return await callback(request);
      } catch (error) {
        if (error instanceof BotError) {
          // Outside the error boundary (ordering, metrics): logged; Telegram must not resend it.
          logger.error({ err: error.error, update_id: error.ctx.update.update_id }, 'telegram update failed');
          return new Response(null, { status: 200 });
        }
        logger.warn({ err: error }, 'telegram webhook request rejected');
        return new Response('"bad request"', { status: 400 });
      }
    },
    async start() {
      await bot.init();
      await setCommands();
      if (mode === 'webhook') {
        await bot.api.setWebhook(`${publicUrl}${WEBHOOK_PATH}`, { secret_token: secret, allowed_updates: [...ALLOWED_UPDATES] });
        logger.info({ bot: bot.botInfo.username, mode, url: `${publicUrl}${WEBHOOK_PATH}` }, 'telegram bot started');
        return;
      }
      await bot.api.deleteWebhook();
      runner = run(bot, { runner: { fetch: { allowed_updates: [...ALLOWED_UPDATES] } } });
      logger.info({ bot: bot.botInfo.username, mode }, 'telegram bot started');
    },
    async stop() {
      if (runner?.isRunning()) await runner.stop();
      runner = undefined;
    },
  };
}
