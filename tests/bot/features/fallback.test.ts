/**
 * What no feature takes gets a polite word or nothing, never an error: buttons of an older
 * deploy, junk callback data, a switched-off feature's button, texts too long to be a search,
 * stickers, unknown commands; edited messages are ignored. The fallback feature in process.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { cb } from '../../../src/bot/keyboards/callback-data.ts';
import { createTestBot, type TestBot } from '../../support/bot.ts';

let h: TestBot;
beforeAll(() => {
  h = createTestBot();
});
afterAll(() => h.stop());

const errorLines = () => h.logs.filter((line) => line.level >= 50);

describe('bot: garbage gets polite answers', () => {
  test('buttons of an older deploy, junk data and switched-off features get polite answers', async () => {
    const user = h.fake.user({ language_code: 'en' });
    await user.send('/start');
    await user.waitForMessage(/Hello/);
    // A message an older version of the bot left in the chat, with its buttons.
    await h.bot.api.sendMessage(user.id, 'An old menu', {
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
    expect(await user.callbackAnswer()).toMatchObject({
      text: expect.stringContaining('older version'),
      show_alert: true,
    });
    await user.tap('Junk');
    expect(await user.callbackAnswer()).toMatchObject({ text: expect.stringContaining('no longer works') });
    await user.tap('Broken');
    expect(await user.callbackAnswer()).toMatchObject({ text: expect.stringContaining('no longer works') });
    // A current buy button of a product that does not exist (any more): answered, not dropped.
    await user.tap('Buy');
    expect(await user.callbackAnswer()).toMatchObject({
      text: expect.stringContaining('no longer available'),
      show_alert: true,
    });
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
    await h.fake.idle();
    expect(user.messages()).toHaveLength(before);
    await user.send('/start');
    await user.waitForMessage(/Bonjour/);
    expect(errorLines()).toEqual([]);
  });
});
