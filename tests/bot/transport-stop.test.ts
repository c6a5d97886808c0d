/**
 * The app told to stop while it is still starting (SIGTERM during boot): a transport stopped
 * before its start never calls Telegram, and its start resolves instead of retrying forever.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { createBotTransport } from '../../src/bot/transport.ts';
import { BOT_TOKEN } from '../support/env.ts';
import { silentLogger } from '../support/env.ts';
import { createTestBot, type TestBot } from '../support/bot.ts';

let h: TestBot;
beforeAll(() => {
  h = createTestBot();
});
afterAll(() => h.stop());

test('stopped before it started: no Bot API call, start resolves, the bot is not reported up', async () => {
  const transport = createBotTransport(h.bot, { token: BOT_TOKEN, logger: silentLogger(), clock: h.clock });
  const callsBefore = h.fake.calls().length;
  await transport.stop();
  await transport.start();
  expect(h.fake.calls().length).toBe(callsBefore);
  expect(transport.status().state).not.toBe('up');
});
