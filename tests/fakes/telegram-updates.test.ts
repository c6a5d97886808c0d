import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import { Api, Bot, GrammyError, InlineKeyboard, webhookCallback } from 'grammy';
import { startFakeTelegram, type FakeTelegram } from './telegram.ts';

const TOKEN = '123456:TEST-token_for_the_fake';

let fake: FakeTelegram;
let api: Api;
beforeEach(async () => {
  fake = await startFakeTelegram({ token: TOKEN, webhookRetry: { firstDelayMs: 5 } });
  api = new Api(TOKEN, { apiRoot: fake.apiRoot });
});
afterEach(() => fake.stop());

const postJson = (method: string, body: unknown) =>
  fetch(`${fake.apiRoot}/bot${TOKEN}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

/** A local HTTP server standing in for the bot's webhook route. */
function receiver(answer: (request: Request, body: unknown) => Response | Promise<Response>) {
  const received: { headers: Headers; body: Record<string, unknown> }[] = [];
  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    async fetch(request) {
      const body = (await request.json()) as Record<string, unknown>;
      received.push({ headers: request.headers, body });
      return answer(request, body);
    },
  });
  return { url: `http://127.0.0.1:${server.port}/telegram/webhook`, received, stop: () => server.stop(true) };
}

describe('fake Telegram: getUpdates', () => {
  test('updates get increasing ids; offset confirms, limit caps, unconfirmed ones come again', async () => {
    const user = fake.user({ first_name: 'Alice' });
    for (const text of ['one', 'two', 'three']) await user.send(text);
    const first = await api.getUpdates({ limit: 2 });
    expect(first.map((u) => u.message?.text)).toEqual(['one', 'two']);
    expect(first[1]!.update_id).toBe(first[0]!.update_id + 1);
    expect((await api.getUpdates()).map((u) => u.message?.text)).toEqual(['one', 'two', 'three']);
    const rest = await api.getUpdates({ offset: first[1]!.update_id + 1 });
    expect(rest.map((u) => u.message?.text)).toEqual(['three']);
    expect(fake.updates().map((r) => r.status)).toEqual(['confirmed', 'confirmed', 'sent']);
    expect(await api.getUpdates({ offset: rest[0]!.update_id + 1 })).toEqual([]);
    expect(fake.updates().every((r) => r.status === 'confirmed')).toBe(true);
  });

  test('a negative offset takes the last updates from the end and forgets the earlier ones', async () => {
    const user = fake.user();
    for (const text of ['a', 'b', 'c']) await user.send(text);
    expect((await api.getUpdates({ offset: -1 })).map((u) => u.message?.text)).toEqual(['c']);
    expect(fake.updates().map((r) => r.status)).toEqual(['dropped', 'dropped', 'sent']);
  });

  test('a long poll really waits, answers as soon as an update arrives, and answers [] at its timeout', async () => {
    const polling = api.getUpdates({ timeout: 10 });
    await fake.waitForLongPoll();
    const started = performance.now();
    await fake.user().send('hello');
    const updates = await polling;
    expect(performance.now() - started).toBeLessThan(1000);
    expect(updates.map((u) => u.message?.text)).toEqual(['hello']);

    const quietStart = performance.now();
    expect(await api.getUpdates({ offset: updates[0]!.update_id + 1, timeout: 1 })).toEqual([]);
    expect(performance.now() - quietStart).toBeGreaterThanOrEqual(950);
  });

  test('409: the older of two long polls is terminated; getUpdates while a webhook is set is refused', async () => {
    const older = postJson('getUpdates', { timeout: 10 });
    await fake.waitForLongPoll();
    const newer = api.getUpdates({ timeout: 10 });
    const conflict = await older;
    expect(conflict.status).toBe(409);
    expect(await conflict.json()).toEqual({
      ok: false,
      error_code: 409,
      description: 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
    });
    await fake.user().send('for the newer poll');
    const [update] = await newer;
    expect(update?.message?.text).toBe('for the newer poll');

    const waiting = postJson('getUpdates', { offset: update!.update_id + 1, timeout: 10 });
    await fake.waitForLongPoll();
    await api.setWebhook('http://127.0.0.1:9/telegram/webhook');
    expect(await (await waiting).json()).toMatchObject({
      error_code: 409,
      description: 'Conflict: terminated by setWebhook request',
    });
    const refused = await api.getUpdates().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(GrammyError);
    expect(refused).toMatchObject({
      error_code: 409,
      description:
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
    });
  });

  test('allowed_updates: types the bot did not ask for are never queued; [] restores the default', async () => {
    await api.getUpdates({ allowed_updates: ['message'] });
    const user = fake.user();
    await user.block();
    await user.unblock();
    await user.send('kept');
    expect((await api.getUpdates()).map((u) => Object.keys(u)[1])).toEqual(['message']);
    expect(fake.updates().map((r) => `${r.type}:${r.status}`)).toEqual([
      'my_chat_member:filtered',
      'my_chat_member:filtered',
      'message:sent',
    ]);
    await api.getUpdates({ allowed_updates: [] });
    expect(fake.pushUpdate({ my_chat_member: { chat: { id: 1 } } }).status).toBe('pending');
    expect(fake.pushUpdate({ chat_member: { chat: { id: 1 } } }).status).toBe('filtered');
  });

  test('a grammY Bot long-polls the fake: /start answered, a tap answered and edited in place, stop() confirms', async () => {
    const bot = new Bot(TOKEN, { client: { apiRoot: fake.apiRoot } });
    bot.command('start', (ctx) =>
      ctx.reply(`Welcome! (${ctx.match})`, { reply_markup: new InlineKeyboard().text('Buy with BTC', 'buy:btc') }),
    );
    bot.callbackQuery(/^buy:(\w+)$/, async (ctx) => {
      await ctx.answerCallbackQuery({ text: 'Creating your order' });
      await ctx.editMessageText(`Paying with ${ctx.match[1]!.toUpperCase()}`);
    });
    const started = new Promise<void>((resolve) => void bot.start({ onStart: () => resolve() }));
    await started;

    const buyer = fake.user({ first_name: 'Bob', language_code: 'fr' });
    await buyer.send('/start p_TBF-2611-ABCDEF');
    const card = await buyer.waitForMessage(/Welcome/);
    expect(card.text).toBe('Welcome! (p_TBF-2611-ABCDEF)');
    await buyer.tap('Buy with BTC');
    expect(await buyer.callbackAnswer()).toEqual({ text: 'Creating your order' });
    const edited = await buyer.waitForMessage('Paying with BTC');
    expect(edited).toMatchObject({ message_id: card.message_id, edit_date: expect.any(Number) });
    expect(buyer.lastMessage().reply_markup).toBeUndefined();

    await bot.stop();
    expect(fake.updates().map((r) => r.status)).toEqual(['confirmed', 'confirmed']);
    expect(fake.calls('deleteWebhook')).toHaveLength(1);
    // grammY aborted its long poll: the fake lets it go instead of keeping it waiting.
    await fake.waitForLongPoll('idle');
    expect(fake.calls('getUpdates').at(-1)!.params).toEqual({
      offset: fake.updates()[1]!.update.update_id + 1,
      limit: 1,
    });
  });
});

describe('fake Telegram: webhook', () => {
  test('updates are POSTed as JSON with the secret header; set/delete/getWebhookInfo answer like Telegram', async () => {
    const hook = receiver(() => new Response('ok'));
    const set = await postJson('setWebhook', { url: hook.url, secret_token: 'S3cret_-token' });
    expect(await set.json()).toEqual({ ok: true, result: true, description: 'Webhook was set' });
    expect(await (await postJson('setWebhook', { url: hook.url, secret_token: 'S3cret_-token' })).json()).toMatchObject(
      {
        description: 'Webhook is already set',
      },
    );
    expect(await api.getWebhookInfo()).toEqual({
      url: hook.url,
      has_custom_certificate: false,
      pending_update_count: 0,
      max_connections: 40,
    });

    const user = fake.user({ first_name: 'Carol' });
    const sent = await user.send('hello webhook');
    await user.settled();
    expect(hook.received).toHaveLength(1);
    const [delivery] = hook.received;
    expect(delivery!.headers.get('x-telegram-bot-api-secret-token')).toBe('S3cret_-token');
    expect(delivery!.headers.get('content-type')).toBe('application/json');
    expect(delivery!.body).toEqual({ update_id: fake.updates()[0]!.update.update_id, message: sent });
    expect(fake.updates()[0]).toMatchObject({ status: 'acknowledged', deliveries: [{ status: 200 }] });

    expect(await (await postJson('deleteWebhook', {})).json()).toEqual({
      ok: true,
      result: true,
      description: 'Webhook was deleted',
    });
    expect(await (await postJson('deleteWebhook', {})).json()).toMatchObject({
      description: 'Webhook is already deleted',
    });
    expect((await api.getWebhookInfo()).url).toBe('');
    expect(await postJson('setWebhook', { url: hook.url, secret_token: 'no spaces' }).then((r) => r.status)).toBe(400);
    hook.stop();
  });

  test('a non-2xx answer is retried (every status recorded); after the last attempt the update is dropped', async () => {
    const answers = [502, 500, 200];
    const hook = receiver((_, body) =>
      (body as { message?: { text?: string } }).message?.text === 'doomed'
        ? new Response('down', { status: 503 })
        : new Response(null, { status: answers.shift() }),
    );
    await api.setWebhook(hook.url);
    const user = fake.user();
    await user.send('eventually');
    await user.settled();
    expect(fake.updates()[0]).toMatchObject({
      status: 'acknowledged',
      deliveries: [{ status: 502 }, { status: 500 }, { status: 200 }],
    });
    expect((await api.getWebhookInfo()).last_error_message).toBe(
      'Wrong response from the webhook: 500 Internal Server Error',
    );

    await user.send('doomed');
    await user.settled();
    expect(fake.updates()[1]!.status).toBe('dropped');
    expect(fake.updates()[1]!.deliveries.map((d) => d.status)).toEqual([503, 503, 503, 503]);
    expect((await api.getWebhookInfo()).pending_update_count).toBe(0);
    hook.stop();
  });

  test('drop_pending_updates forgets the queue; updates queued while polling go to a webhook set later', async () => {
    const user = fake.user();
    await user.send('forgotten');
    const hook = receiver(() => new Response('ok'));
    await api.setWebhook(hook.url, { drop_pending_updates: true });
    expect(fake.updates()[0]!.status).toBe('dropped');
    await api.deleteWebhook();
    await user.send('kept for later');
    await api.setWebhook(hook.url);
    await user.settled();
    expect(hook.received.map((r) => (r.body.message as { text: string }).text)).toEqual(['kept for later']);
    hook.stop();
  });

  test('a 2xx answer that is itself a method call is executed (webhook reply)', async () => {
    const hook = receiver((_, body) => {
      const chat = (body as { message: { chat: { id: number } } }).message.chat.id;
      return Response.json({ method: 'sendMessage', chat_id: chat, text: 'answered in the webhook response' });
    });
    await api.setWebhook(hook.url);
    const user = fake.user();
    await user.send('/help');
    expect((await user.waitForMessage('answered in the webhook response')).chat.id).toBe(user.id);
    hook.stop();
  });

  test("grammY's webhookCallback behind the webhook answers /start; a wrong secret gets 401s until dropped", async () => {
    const bot = new Bot(TOKEN, { client: { apiRoot: fake.apiRoot } });
    bot.command('start', (ctx) => ctx.reply('Welcome from the webhook'));
    const server = Bun.serve({
      hostname: '127.0.0.1',
      port: 0,
      fetch: webhookCallback(bot, 'bun', { secretToken: 'right_secret' }),
    });
    const url = `http://127.0.0.1:${server.port}/telegram/webhook`;

    await api.setWebhook(url, { secret_token: 'right_secret' });
    const user = fake.user({ language_code: 'en' });
    await user.send('/start');
    await user.waitForMessage('Welcome from the webhook');

    await api.setWebhook(url, { secret_token: 'wrong_secret' });
    await user.send('/start');
    await user.settled();
    const refused = fake.updates().at(-1)!;
    expect(refused.status).toBe('dropped');
    expect(refused.deliveries.map((d) => d.status)).toEqual([401, 401, 401, 401]);
    expect((await api.getWebhookInfo()).last_error_message).toBe('Wrong response from the webhook: 401 Unauthorized');
    expect(user.messages()).toHaveLength(1);
    server.stop(true);
  });
});
