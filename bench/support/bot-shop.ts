/**
 * Fixtures of the bot and deliveries benches: a shop with a few courses, the app started on a
 * fake Bot API with its webhook on, and the Telegram updates the benches post to it (built as
 * Telegram shapes them: a `bot_command` entity on a leading /command, a callback_query carrying
 * the bot's own message and button data), each with the webhook's secret header.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App } from '../../src/app.ts';
import { webhookSecret } from '../../src/bot/transport.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/lib/logger.ts';
import type { RecordedCall } from '../../tests/fakes/telegram.ts';
import type { ChatMessage } from '../../tests/fakes/telegram/state.ts';
import { startBenchBotApi, type BenchBotApi } from './bot-api.ts';
import type { PreparedRequest } from './post-load.ts';
import { freePort } from './server-process.ts';

export const BOT_TOKEN = '123456:BENCH-bot_token_for_the_benches';
export const FIRST_NAME = 'Bench';
const SECRET = webhookSecret(BOT_TOKEN);

export interface BotShop {
  app: App;
  api: BenchBotApi;
  dataDir: string;
  /** The app's webhook, as registered with the fake (setWebhook). */
  webhookUrl: string;
  products: { id: string; title: string }[];
}

/** The app (createApp, file database in WAL) with the bot in webhook mode on a fake Bot API. */
export async function startBotShop(name: string, titles: string[]): Promise<BotShop> {
  const dataDir = mkdtempSync(join(tmpdir(), `techbot-bench-${name}-`));
  const api = await startBenchBotApi(BOT_TOKEN);
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const config = loadConfig({
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    PUBLIC_URL: publicUrl,
    TELEGRAM_TOKEN: BOT_TOKEN,
    TELEGRAM_API_ROOT: api.apiRoot,
  });
  const app = createApp({ config, logger: createLogger({ level: 'silent' }) });
  const now = Date.now();
  const seller = app.store.sqlite
    .query("INSERT INTO sellers (display_name, created_at, updated_at) VALUES ('Bench Academy', ?, ?) RETURNING id")
    .get(now, now) as { id: number };
  const principal = { role: 'seller' as const, keyId: 'bench', sellerId: seller.id };
  const products = titles.map((title, i) => {
    const created = app.catalog.createProduct(principal, {
      title,
      description: `${title}: lessons, exercises and a final project.`,
      price_cents: 1_900 + i * 500,
      category: String(1 + (i % 7)),
    });
    return { id: created.id, title };
  });
  await app.start();
  // The webhook answers 503 until the bot knows who it is (getMe); then it is registered, and
  // the profile calls (commands, descriptions, the menu button last) go out in the background.
  const deadline = Date.now() + 10_000;
  const profileSet = () => api.calls('setChatMenuButton').some((call) => call.status === 200);
  while (!(app.telegram.bot?.isInited() && api.webhook() && profileSet())) {
    if (Date.now() > deadline) throw new Error('the bot did not start on the fake Bot API');
    await Bun.sleep(10);
  }
  return { app, api, dataDir, webhookUrl: api.webhook()!.url, products };
}

/** A Telegram user of the benches (one private chat each). */
export const benchUser = (id: number) => ({ id, is_bot: false, first_name: FIRST_NAME, language_code: 'en' });

/** The user's message; a leading /command gets its entity, as Telegram adds it. */
export function messageUpdate(updateId: number, userId: number, messageId: number, text: string) {
  const command = /^\/\w+/.exec(text)?.[0];
  return {
    update_id: updateId,
    message: {
      message_id: messageId,
      from: benchUser(userId),
      chat: { id: userId, type: 'private', first_name: FIRST_NAME },
      date: Math.floor(Date.now() / 1000),
      text,
      ...(command ? { entities: [{ type: 'bot_command', offset: 0, length: command.length }] } : {}),
    },
  };
}

/** A press of a button of the bot's `message`, registered with the fake so that it can be answered once. */
export function pressUpdate(api: BenchBotApi, updateId: number, userId: number, message: ChatMessage, data: string) {
  const id = `bench-query-${updateId}`;
  api.state.callbackQueries.set(id, { id, user_id: userId, chat_id: userId, message_id: message.message_id, data });
  return {
    update_id: updateId,
    callback_query: { id, from: benchUser(userId), message, chat_instance: `bench-${userId}`, data },
  };
}

/** An update as Telegram POSTs it to a webhook registered with `secret_token`. */
export const webhookRequest = (update: object): PreparedRequest => ({
  body: JSON.stringify(update),
  headers: {
    'content-type': 'application/json',
    'X-Telegram-Bot-Api-Secret-Token': SECRET,
  },
});

/** The Message a successful send or edit answered with. */
export function sentMessage(call: RecordedCall): ChatMessage {
  if (!call.response.ok) throw new Error(`${call.method} failed: ${JSON.stringify(call.response)}`);
  return call.response.result as ChatMessage;
}
