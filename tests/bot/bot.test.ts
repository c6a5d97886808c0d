/**
 * The bot's chain as createBot builds it: a 429 from Telegram is waited out and the call made
 * again (auto-retry, under every feature), and every update is counted and timed by type in
 * the metrics /metrics exposes.
 */
import { afterAll, beforeAll, describe, expect, jest, test } from 'bun:test';
import { TelegramErrors } from '../fakes/telegram.ts';
import { createTestBot, type TestBot } from '../support/bot.ts';

let h: TestBot;
beforeAll(() => {
  h = createTestBot();
});
afterAll(() => h.stop());

describe('bot: Telegram flood limits', () => {
  test('429 from Telegram: the call is retried after retry_after', async () => {
    // auto-retry waits with setTimeout: fake timers (Date.now included) step through the second.
    jest.useFakeTimers();
    try {
      const user = h.fake.user();
      h.fake.failNext('sendMessage', TelegramErrors.tooManyRequests(1));
      const started = Date.now();
      await user.send('/help');
      // Everything runs in process: within a few turns of the event loop the 429 is answered and
      // auto-retry's wait is set.
      for (let turn = 0; turn < 1000 && jest.getTimerCount() === 0; turn++) await Promise.resolve();
      expect(h.fake.calls('sendMessage').map((call) => call.status)).toContain(429);
      jest.advanceTimersByTime(1000);
      await user.waitForMessage(/Help/);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
      await h.fake.idle();
      const sends = h.fake.calls('sendMessage').filter((call) => call.params.chat_id === user.id);
      expect(sends.map((call) => call.status)).toEqual([429, 200]);
    } finally {
      jest.useRealTimers();
    }
  });
});

describe('bot: update metrics', () => {
  test('every update is counted by type on /metrics', async () => {
    const user = h.fake.user({ language_code: 'en' });
    await user.send('/start');
    await user.waitForMessage(/Hello/);
    await user.tap('🛍 Browse');
    await user.waitForMessage(/Categories/);
    await user.editLast('/help');
    await h.fake.idle();
    // What the /metrics route serves (tests/http/metrics.test.ts): the registry's exposition.
    const text = await h.app.metrics.registry.metrics();
    expect(text).toMatch(/^bot_updates_total\{type="message"\} \d+/m);
    expect(text).toMatch(/^bot_updates_total\{type="callback_query"\} \d+/m);
    expect(text).toMatch(/^bot_updates_total\{type="edited_message"\} 1$/m);
    expect(text).toMatch(/^bot_update_duration_seconds_count\{type="message"\} \d+/m);
  });
});
