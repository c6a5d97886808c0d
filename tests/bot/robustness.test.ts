import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { cb } from '../../src/bot/keyboards/callback-data.ts';
import { TelegramErrors } from '../fakes/telegram.ts';
import { handled, lastUpdateId, startBotApp, type BotHarness } from './harness.ts';

let h: BotHarness;
beforeAll(async () => {
  h = await startBotApp();
});
afterAll(() => h.stop());

const errorLines = () => h.logs.filter((line) => line.level >= 50);

describe('bot: garbage, failures and Telegram faults', () => {
  test('buttons of an older deploy, junk data and switched-off features get polite answers', async () => {
    const user = h.fake.user({ language_code: 'en' });
    await user.send('/start');
    await user.waitForMessage(/Hello/);
    // A message an older version of the bot left in the chat, with its buttons.
    await h.app.bot!.api.sendMessage(user.id, 'An old menu', {
      reply_markup: {
        inline_keyboard: [
          [{ text: 'Old buy', callback_data: '0:buy:crypto:TBF-2611-ABCDEF' }],
          [{ text: 'Junk', callback_data: 'product_42' }],
          [{ text: 'Broken', callback_data: '1:prod:not-an-id' }],
          [{ text: 'Buy', callback_data: cb.buy.pack({ method: 'stars', id: 'TBF-2611-ABCDEF' }) }],
        ],
      },
    });
    await user.tap('Old buy');
    expect(await user.callbackAnswer()).toMatchObject({ text: expect.stringContaining('older version'), show_alert: true });
    await user.tap('Junk');
    expect(await user.callbackAnswer()).toMatchObject({ text: expect.stringContaining('no longer works') });
    await user.tap('Broken');
    expect(await user.callbackAnswer()).toMatchObject({ text: expect.stringContaining('no longer works') });
    // A current buy button of a product that does not exist (any more): answered, not dropped.
    await user.tap('Buy');
    expect(await user.callbackAnswer()).toMatchObject({ text: expect.stringContaining('no longer available'), show_alert: true });
    expect(errorLines()).toEqual([]);
  });

  test('4 kB of text, stickers, unknown commands get a polite word; edited messages are ignored', async () => {
    const user = h.fake.user({ language_code: 'fr' });
    await user.send('x'.repeat(4000));
    await user.waitForMessage(/Quel long message/);
    await user.sendSticker();
    await user.waitForMessage(/Je ne lis que les messages texte/);
    await user.send('/frobnicate');
    await user.waitForMessage(/Je ne connais pas cette commande/);
    const before = user.messages().length;
    await user.editLast('/start');
    await handled(h, lastUpdateId(h));
    expect(user.messages()).toHaveLength(before);
    await user.send('/start');
    await user.waitForMessage(/Bonjour/);
    expect(errorLines()).toEqual([]);
  });

  test('a failing handler: the user gets an apology, the error is logged with the update id', async () => {
    const user = h.fake.user({ language_code: 'fr' });
    h.fake.failNext('sendMessage', TelegramErrors.badRequest('chat not found'));
    await user.send('/help');
    await user.waitForMessage(/un problème est survenu/);
    const updateId = lastUpdateId(h);
    await handled(h, updateId);
    const logged = errorLines().find((line) => line.msg === 'telegram update failed');
    expect(logged).toMatchObject({ update_id: updateId, type: 'message', method: 'sendMessage', telegram: 'Bad Request: chat not found' });
    const metrics = await h.app.metrics.registry.getSingleMetric('bot_errors_total')!.get();
    expect(metrics.values).toEqual([expect.objectContaining({ labels: { type: 'message' }, value: 1 })]);
    // And the bot goes on.
    await user.send('/help');
    await user.waitForMessage(/cette aide/);
  });

  test('429 from Telegram: the call is retried after retry_after', async () => {
    const user = h.fake.user();
    h.fake.failNext('sendMessage', TelegramErrors.tooManyRequests(1));
    const started = Date.now();
    await user.send('/help');
    const updateId = lastUpdateId(h);
    await user.waitForMessage(/Help/, { timeoutMs: 5000 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    await handled(h, updateId);
    const sends = h.fake.calls('sendMessage').filter((call) => call.params.chat_id === user.id);
    expect(sends.map((call) => call.status)).toEqual([429, 200]);
  });

  test('banned users are ignored entirely', async () => {
    const user = h.fake.user({ first_name: 'Mallory' });
    await user.send('/start');
    await user.waitForMessage(/Hello Mallory/);
    h.app.store.sqlite.run('UPDATE users SET banned = 1 WHERE telegram_id = ?', [user.id]);
    const before = user.messages().length;
    await user.send('/start');
    await handled(h, lastUpdateId(h));
    await user.send('hello?');
    await handled(h, lastUpdateId(h));
    expect(user.messages()).toHaveLength(before);
  });

  test('every update is counted by type on /metrics', async () => {
    const text = await (await fetch(`${h.url}/metrics`)).text();
    expect(text).toMatch(/^bot_updates_total\{type="message"\} \d+/m);
    expect(text).toMatch(/^bot_updates_total\{type="callback_query"\} \d+/m);
    expect(text).toMatch(/^bot_updates_total\{type="edited_message"\} 1$/m);
    expect(text).toMatch(/^bot_update_duration_seconds_count\{type="message"\} \d+/m);
  });
});
