/**
 * The buyer's library: purchases paged newest first, a purchase card, "download again" (the
 * files module's redelivery: a cached file_id, an upload, a polite word when sending fails),
 * and the blocked-bot flag from my_chat_member. The library and membership features in process.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { cb } from '../../../src/bot/keyboards/callback-data.ts';
import { TelegramErrors } from '../../fakes/telegram.ts';
import { createTestBot, type TestBot } from '../../support/bot.ts';

let h: TestBot;
beforeAll(() => {
  h = createTestBot();
});
afterAll(() => h.stop());

const errorsLogged = () => h.logs.filter((line) => line.level >= 50);

describe('bot: the library', () => {
  test('an empty library gets a friendly word and a Browse button', async () => {
    const user = h.fake.user({ language_code: 'en' });
    await user.send('/library');
    await user.waitForMessage(/Your library is empty/);
    expect(user.buttons()).toEqual(['🛍 Browse', '🏠 Menu']);
    await user.tap('🛍 Browse');
    await user.waitForMessage(/Categories/);
  });

  test('a buyer opens the library from the menu, sees the purchase and downloads it again (same bytes)', async () => {
    const product = await h.product({ title: 'Bitcoin for beginners' });
    const user = h.fake.user({ language_code: 'en' });
    const { file } = await h.own(user, product.id);
    // The delivery after payment.
    expect(user.documents()).toHaveLength(1);
    expect(user.documents()[0]!.caption).toBe('📘 Bitcoin for beginners');

    await user.send('/start');
    await user.waitForMessage(/Hello/);
    await user.tap('📚 My library');
    await user.waitForMessage(/My library/);
    expect(user.buttons()).toEqual(['📘 Bitcoin for beginners', '🏠 Menu']);
    await user.tap('📘 Bitcoin for beginners');
    const card = await user.waitForMessage(/Bitcoin for beginners/);
    expect(card.text).toContain(product.id);
    expect(card.text).toContain('no reviews yet');
    expect(card.text).toContain('You have not reviewed this course yet.');
    expect(user.buttons()).toEqual(['⬇️ Download again', '⭐ Review', '⬅️ Back', '🏠 Menu']);

    await user.tap('⬇️ Download again');
    expect(await user.callbackAnswer()).toMatchObject({ text: expect.stringContaining('Sending your file') });
    await h.fake.idle();
    expect(user.documents()).toHaveLength(2);
    const again = user.documents()[1]!;
    expect(again).toMatchObject({ sha256: file!.sha256, file_size: file!.size, caption: '📘 Bitcoin for beginners' });
    // Re-sent by the file_id Telegram gave at the delivery: nothing uploaded twice.
    expect(typeof h.fake.lastCall('sendDocument').params.document).toBe('string');

    await user.tap('⬅️ Back');
    await user.waitForMessage(/Every course you bought stays here/);
    expect(errorsLogged()).toEqual([]);
  });

  test('a refused cached file_id is uploaded again; a failed send without PUBLIC_URL gets a polite word', async () => {
    const product = await h.product({ title: 'Lightning network' });
    const user = h.fake.user();
    const { file } = await h.own(user, product.id);
    expect(user.documents()).toHaveLength(1);
    await user.send('/library');
    await user.waitForMessage(/My library/);
    await user.tap('📘 Lightning network');
    await user.waitForMessage(/Lightning network/);

    h.fake.failNext('sendDocument', TelegramErrors.badRequest('wrong file identifier/HTTP URL specified'));
    await user.tap('⬇️ Download again');
    await h.fake.idle();
    expect(user.documents()).toHaveLength(2);
    expect(user.documents()[1]!.sha256).toBe(file!.sha256);

    h.fake.failNext('sendDocument', TelegramErrors.badRequest('DOCUMENT_INVALID'));
    await user.tap('⬇️ Download again');
    await user.waitForMessage(/could not send your file right now/);
    await h.fake.idle();
    expect(user.documents()).toHaveLength(2);
    // The operator hears of it: the failed send is logged with the update.
    expect(h.logs.find((line) => line.msg === 'sending a purchased file again failed')).toMatchObject({
      chatId: user.id,
    });
    expect(errorsLogged().find((line) => line.msg === 'telegram update failed')).toMatchObject({
      telegram: 'Bad Request: DOCUMENT_INVALID',
    });
  });

  test('many purchases are paged, newest first', async () => {
    const user = h.fake.user();
    for (let i = 1; i <= 7; i++)
      await h.own(user, (await h.product({ title: `Paged course ${i}` })).id, { file: false });
    await user.send('/library');
    await user.waitForMessage(/Page 1/);
    const courses = () => user.buttons().filter((b) => b.startsWith('📘'));
    expect(courses()).toEqual([7, 6, 5, 4, 3, 2].map((i) => `📘 Paged course ${i}`));
    expect(user.buttons()).toContain('Next ▶️');
    await user.tap('Next ▶️');
    await user.waitForMessage(/Page 2/);
    expect(courses()).toEqual(['📘 Paged course 1']);
    await user.tap('◀️ Previous');
    await user.waitForMessage(/Page 1/);

    // A course without its file yet: a polite alert instead of a download.
    await user.tap('📘 Paged course 7');
    await user.waitForMessage(/Paged course 7/);
    await user.tap('⬇️ Download again');
    expect(await user.callbackAnswer()).toMatchObject({
      text: expect.stringContaining('not uploaded the file'),
      show_alert: true,
    });
  });

  test("someone else's course is not in your library", async () => {
    const product = await h.product({ title: 'Not yours' });
    const owner = h.fake.user();
    await h.own(owner, product.id, { file: false });
    const stranger = h.fake.user();
    await stranger.send('/start');
    await stranger.waitForMessage(/Hello/);
    await h.bot.api.sendMessage(stranger.id, 'Forged', {
      reply_markup: { inline_keyboard: [[{ text: 'Steal', callback_data: cb.download.pack({ id: product.id }) }]] },
    });
    await stranger.tap('Steal');
    expect(await stranger.callbackAnswer()).toMatchObject({
      text: expect.stringContaining('not in your library'),
      show_alert: true,
    });
    expect(stranger.documents()).toEqual([]);
  });

  test('a user who blocks the bot is marked blocked_bot; unblocking clears it', async () => {
    const user = h.fake.user();
    await user.send('/start');
    await user.waitForMessage(/Hello/);
    const blocked = () => h.app.users.findByTelegramId(user.id)?.blockedBot;
    await user.block();
    await h.fake.idle();
    expect(blocked()).toBe(true);
    await user.unblock();
    await h.fake.idle();
    expect(blocked()).toBe(false);
  });
});
