/**
 * The error boundary: a handler that fails gets the user an apology in their language, the
 * error is logged with the update id and counted by update type, and the bot goes on.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { TelegramErrors } from '../../fakes/telegram.ts';
import { createTestBot, type TestBot } from '../../support/bot.ts';

let h: TestBot;
beforeAll(() => {
  h = createTestBot();
});
afterAll(() => h.stop());

describe('bot: a failing handler', () => {
  test('the user gets an apology, the error is logged with the update id', async () => {
    const user = h.fake.user({ language_code: 'fr' });
    h.fake.failNext('sendMessage', TelegramErrors.badRequest('chat not found'));
    await user.send('/help');
    await user.waitForMessage(/un problème est survenu/);
    await h.fake.idle();
    const updateId = h.fake.updates().at(-1)!.update.update_id;
    const logged = h.logs.find((line) => line.level >= 50 && line.msg === 'telegram update failed');
    expect(logged).toMatchObject({
      update_id: updateId,
      type: 'message',
      method: 'sendMessage',
      telegram: 'Bad Request: chat not found',
    });
    const metrics = await h.app.metrics.registry.getSingleMetric('bot_errors_total')!.get();
    expect(metrics.values).toEqual([expect.objectContaining({ labels: { type: 'message' }, value: 1 })]);
    // And the bot goes on.
    await user.send('/help');
    await user.waitForMessage(/cette aide/);
    expect(h.fake.escaped).toEqual([]);
  });
});
