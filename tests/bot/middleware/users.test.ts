/**
 * Who the bot answers: a banned user gets no answer at all, whatever they send.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { createTestBot, type TestBot } from '../../support/bot.ts';

let h: TestBot;
beforeAll(() => {
  h = createTestBot();
});
afterAll(() => h.stop());

describe('bot: banned users', () => {
  test('banned users are ignored, except /start which tells them why', async () => {
    const user = h.fake.user({ first_name: 'Mallory' });
    await user.send('/start');
    await user.waitForMessage(/Hello Mallory/);
    h.app.store.sqlite.run("UPDATE users SET banned = 1, banned_reason = 'spam' WHERE telegram_id = ?", [user.id]);
    const before = user.messages().length;
    await user.send('/start');
    await user.waitForMessage('⛔ Your access to this bot was suspended. Reason: spam');
    await user.send('hello?');
    await h.fake.idle();
    await user.send('/help');
    await h.fake.idle();
    expect(user.messages()).toHaveLength(before + 1);
  });
});
