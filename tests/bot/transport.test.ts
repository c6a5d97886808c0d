/**
 * How the bot reaches Telegram in the running app: a webhook on the HTTP face when PUBLIC_URL
 * is set (registered with a secret, the profile set per language, wrong secrets refused), long
 * polling otherwise (stopped before the database closes), and no bot without TELEGRAM_TOKEN.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { webhookSecret } from '../../src/bot/transport.ts';
import { BOT_TOKEN, eventually, handled, startTestApp, type TestApp } from '../support/app.ts';

describe('bot transport: webhook mode (PUBLIC_URL set)', () => {
  let h: TestApp;
  beforeAll(async () => {
    h = await startTestApp({ telegram: true, publicUrl: true });
  });
  afterAll(() => h.stop());

  test('start registers the webhook with a secret that is not the token, then the profile per language', async () => {
    const webhook = h.fake.webhook();
    expect(webhook?.url).toBe(`${h.url}/telegram/webhook`);
    expect(webhook?.secret_token).toBe(webhookSecret(BOT_TOKEN));
    expect(webhook?.secret_token).not.toContain(BOT_TOKEN.split(':')[1]!);
    expect(h.fake.lastCall('setWebhook').params.allowed_updates).toEqual(
      expect.arrayContaining(['message', 'callback_query', 'pre_checkout_query']),
    );
    expect(h.fake.calls('getUpdates')).toEqual([]);
    // The profile follows the webhook, in the background: the bot serves without it.
    await eventually(() => h.fake.profile().menuButtons.size > 0, 'the menu button');
    expect(h.fake.commands()?.map((c) => c.command)).toEqual([
      'start',
      'search',
      'browse',
      'library',
      'support',
      'sell',
      'newcourse',
      'mycourses',
      'dashboard',
      'apikey',
      'payout',
      'email',
      'language',
      'help',
    ]);
    expect(h.fake.commands(undefined, 'fr')?.[0]).toEqual({ command: 'start', description: 'Menu principal' });
    expect(h.fake.commands(undefined, 'en')?.[0]).toEqual({ command: 'start', description: 'Main menu' });
    expect(h.fake.profile().descriptions.get('fr')).toContain('formations');
    expect(h.fake.profile().shortDescriptions.get('')).toContain('Telegram Stars');
    expect(h.fake.profile().menuButtons.get('')).toEqual({ type: 'commands' });
    const ready = (await (await fetch(`${h.url}/ready`)).json()) as { components: Record<string, unknown> };
    expect(ready.components.telegram).toEqual({ status: 'up', detail: 'webhook', since: expect.any(String) });
  });

  test('Telegram delivers updates to the webhook and the bot answers', async () => {
    const user = h.fake.user({ first_name: 'Wendy', language_code: 'fr' });
    await user.send('/start');
    await user.waitForMessage(/Bonjour Wendy/);
    await user.tap('🛍 Parcourir');
    await user.waitForMessage(/Catégories/);
    await user.settled();
    expect(
      h.fake
        .updates()
        .at(-1)
        ?.deliveries.map((d) => d.status),
    ).toEqual([200]);
  });

  test('a wrong or missing secret gets 401 and nothing is handled; the right one is processed', async () => {
    const update = (id: number) => ({
      update_id: id,
      message: {
        message_id: 1,
        date: 1_790_000_000,
        chat: { id: 4242, type: 'private', first_name: 'Eve' },
        from: { id: 4242, is_bot: false, first_name: 'Eve', language_code: 'en' },
        text: '/start',
        entities: [{ type: 'bot_command', offset: 0, length: 6 }],
      },
    });
    const post = (body: unknown, secret?: string) =>
      fetch(`${h.url}/telegram/webhook`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(secret ? { 'x-telegram-bot-api-secret-token': secret } : {}),
        },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
    expect((await post(update(1), 'wrong-secret')).status).toBe(401);
    expect((await post(update(2))).status).toBe(401);
    expect((await post(update(3), BOT_TOKEN.replace(':', '_'))).status).toBe(401);
    expect(h.app.users.findByTelegramId(4242)).toBeUndefined();

    const right = await post(update(4), webhookSecret(BOT_TOKEN));
    expect(right.status).toBe(200);
    await handled(h, 4);
    expect(h.app.users.findByTelegramId(4242)).toMatchObject({ firstName: 'Eve' });
    expect(h.fake.lastCall('sendMessage').params).toMatchObject({
      chat_id: 4242,
      text: expect.stringContaining('Hello Eve'),
    });

    expect((await post('{not json', webhookSecret(BOT_TOKEN))).status).toBe(400);
  });
});

describe('bot transport: long polling (PUBLIC_URL unset)', () => {
  let h: TestApp;
  beforeAll(async () => {
    h = await startTestApp({ telegram: true });
  });
  afterAll(() => h.stop());

  test('start drops any webhook, polls getUpdates, and the webhook route does not exist', async () => {
    expect(h.fake.calls('deleteWebhook')).toHaveLength(1);
    expect(h.fake.webhook()).toBeUndefined();
    const user = h.fake.user({ first_name: 'Paula' });
    await user.send('/start');
    await user.waitForMessage(/Hello Paula/);
    expect(h.fake.calls('getUpdates').length).toBeGreaterThan(0);
    expect(h.fake.lastCall('getUpdates').params.allowed_updates).toEqual(
      expect.arrayContaining(['message', 'callback_query']),
    );
    const response = await fetch(`${h.url}/telegram/webhook`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(404);
  });

  test('stop ends the long poll before the database closes', async () => {
    const user = h.fake.user();
    await user.send('/help');
    await user.waitForMessage(/Help/);
    await h.app.stop();
    const polls = h.fake.calls('getUpdates').length;
    expect(h.app.telegram.transport?.mode).toBe('polling');
    // No poll after stop: a new update stays queued.
    await user.send('/start');
    await Bun.sleep(50);
    expect(h.fake.calls('getUpdates').length).toBe(polls);
    expect(h.fake.updates().at(-1)?.status).toBe('pending');
    await h.restart();
    await user.waitForMessage(/Hello/);
  });
});

describe('bot: without TELEGRAM_TOKEN', () => {
  test('the bot is off and the rest of the app runs', async () => {
    const h = await startTestApp({ telegram: true, env: { TELEGRAM_TOKEN: '' } });
    try {
      expect(h.app.telegram.bot).toBeUndefined();
      expect((await fetch(`${h.url}/api/categories`)).status).toBe(200);
      expect(h.fake.calls()).toEqual([]);
    } finally {
      await h.stop();
    }
  });
});
