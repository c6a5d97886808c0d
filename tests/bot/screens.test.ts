/**
 * How the bot's screens reach the user when Telegram does not play along: a message that can no
 * longer be edited is replaced by a new one, a button press the bot answers too late is no error,
 * a list that outlived its search or its category says so, the thank-you goes out even when the
 * payment message is gone. Also /menu and the Menu button, and an error outside the bot's error
 * boundary (the runner hands those to the bot's error handler).
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { BotError, Context } from 'grammy';
import type { Update } from 'grammy/types';
import type { BotContext } from '../../src/bot/context.ts';
import { botSessionStore } from '../../src/store/bot-sessions.ts';
import { TelegramErrors } from '../fakes/telegram/protocol.ts';
import { createTestBot, type TestBot } from '../support/bot.ts';

let h: TestBot;
beforeAll(() => {
  h = createTestBot();
});
afterAll(() => h.stop());

const errorsLogged = () => h.logs.filter((line) => line.level >= 50);

describe('bot: screens when Telegram refuses an edit or an answer', () => {
  test('/menu and the Menu button bring the main menu back', async () => {
    const user = h.fake.user({ first_name: 'Mona', language_code: 'en' });
    await user.send('/menu');
    await user.waitForMessage(/Hello Mona/);
    await user.tap('❓ Help');
    await user.waitForMessage(/Help/);
    await user.tap('🏠 Menu');
    await user.waitForMessage(/Hello Mona/);
    // Both presses edited the /menu message in place.
    expect(user.messages()).toHaveLength(1);
  });

  test('a message deleted meanwhile: the next screen comes as a new message', async () => {
    const user = h.fake.user({ first_name: 'Dora', language_code: 'en' });
    await user.send('/start');
    await user.waitForMessage(/Hello Dora/);
    h.fake.failNext('editMessageText', TelegramErrors.badRequest('message to edit not found'));
    await user.tap('❓ Help');
    await user.waitForMessage(/Help/);
    expect(user.messages()).toHaveLength(2);
    expect(errorsLogged()).toEqual([]);
  });

  test('an edit refused for another reason is an error: logged, and the user gets an apology', async () => {
    const user = h.fake.user({ first_name: 'Eric', language_code: 'en' });
    await user.send('/start');
    await user.waitForMessage(/Hello Eric/);
    h.fake.failNext('editMessageText', TelegramErrors.badRequest("can't parse entities: unsupported start tag"));
    await user.tap('❓ Help');
    expect(await user.callbackAnswer()).toMatchObject({
      text: expect.stringContaining('Sorry, something went wrong'),
      show_alert: true,
    });
    expect(errorsLogged().at(-1)).toMatchObject({
      msg: 'telegram update failed',
      telegram: expect.stringContaining("can't parse entities"),
    });
    h.logs.length = 0;
  });

  test('a press answered too late (the query expired) is no error and gets no apology', async () => {
    const user = h.fake.user({ language_code: 'en' });
    await user.send('/start');
    await user.waitForMessage(/Hello/);
    h.fake.failNext('answerCallbackQuery', TelegramErrors.queryInvalid());
    await user.tap('❓ Help');
    await user.waitForMessage(/Help/);
    await h.fake.idle();
    expect(errorsLogged()).toEqual([]);
    expect(
      user
        .messages()
        .map((m) => m.text ?? '')
        .filter((t) => t.includes('Sorry')),
    ).toEqual([]);
  });

  test('"next page" of a search whose session is gone says the search is over', async () => {
    for (let i = 1; i <= 9; i++) h.product({ title: `Pottery lesson ${i}` });
    const user = h.fake.user({ language_code: 'en' });
    await user.send('pottery');
    await user.waitForMessage(/Results for “pottery”/);
    // The chat's session was lost (sessions purged, a broken row): the search text with it.
    await h.fake.idle();
    h.app.store.sqlite.run('DELETE FROM bot_sessions WHERE key = ?', [String(user.id)]);
    await user.tap('Next ▶️');
    expect((await user.callbackAnswer()).text).toBe('This search is over. Send me some words to search again.');
  });

  test('a category removed while its list is open: the user is told, and sees the categories', async () => {
    const { id: categoryId } = h.app.store.sqlite
      .query(
        "INSERT INTO categories (slug, name_en, name_fr, emoji, position) VALUES ('ceramics', 'Ceramics', 'Céramique', '🏺', 50) RETURNING id",
      )
      .get() as { id: number };
    const only = h.product({ title: 'Wheel throwing', category: 'ceramics' });
    const user = h.fake.user({ language_code: 'en' });
    await user.send('/browse');
    await user.waitForMessage(/Categories/);
    await user.tap('🏺 Ceramics (1)');
    await user.waitForMessage(/Ceramics/);
    // An admin removes the course and its category from the database.
    h.app.store.sqlite.run('DELETE FROM products WHERE id = ?', [only.id]);
    h.app.store.sqlite.run('DELETE FROM categories WHERE id = ?', [categoryId]);
    await user.tap('🆕 Newest');
    expect((await user.callbackAnswer()).text).toBe('This list no longer exists.');
    await user.waitForMessage(/Categories/);
    expect(user.buttons().filter((b) => b.includes('Ceramics'))).toEqual([]);
  });

  test('a title too long for a button is cut on a word, with an ellipsis', async () => {
    const title = 'Mastering asynchronous JavaScript promises generators and streams for production';
    h.product({ title, category: 'developpement' });
    const user = h.fake.user({ language_code: 'en' });
    await user.send('generators streams');
    await user.waitForMessage(/Results/);
    const button = user.buttons().find((b) => b.startsWith('Mastering'))!;
    expect(button).toStartWith('Mastering asynchronous JavaScript promises…');
  });
});

describe('bot: the thank-you after delivery', () => {
  test('the payment message is gone: its edit fails quietly and the thank-you still arrives', async () => {
    const course = await h.course({ title: 'Kiln firing basics' });
    const user = h.fake.user({ first_name: 'Kim', language_code: 'en' });
    await user.send('/start');
    await user.waitForMessage(/Hello Kim/);
    const { app } = h;
    const buyer = app.users.findByTelegramId(user.id)!;
    const { order } = app.orders.create({ buyerId: buyer.id, productId: course.id, method: 'crypto' });
    app.orders.transition(order.id, { to: 'paid', actor: 'test' });
    await h.fake.idle();
    // The session remembers a payment message the user has since deleted.
    const sessions = botSessionStore<Record<string, unknown>>(app.store.db, h.clock);
    sessions.write(String(user.id), { ...sessions.read(String(user.id)), payments: { [order.id]: 987_654 } });

    await h.deliver(order.id);
    expect(h.fake.lastCall('editMessageCaption').response.ok).toBe(false);
    const thanks = await user.waitForMessage(/Thank you! Enjoy your course/);
    expect(thanks.text).toContain('Kiln firing basics');
    expect(user.buttons(thanks.message_id)).toEqual(['⭐ Leave a review']);
  });
});

describe('bot: an error outside the error boundary', () => {
  test('the error handler the runner calls logs it and apologises; it never throws', async () => {
    const user = h.fake.user({ language_code: 'fr' });
    await user.send('/start');
    await user.waitForMessage(/Bonjour/);
    const update = {
      update_id: 99_999,
      message: {
        message_id: 1,
        date: 1_790_000_000,
        chat: { id: user.id, type: 'private', first_name: 'Test' },
        from: user.user,
        text: 'hi',
      },
    } as unknown as Update;
    const ctx = new Context(update, h.bot.api, h.bot.botInfo) as BotContext;
    await h.bot.errorHandler(new BotError(new Error('the metrics registry broke'), ctx));
    expect(h.logs.at(-1)).toMatchObject({ msg: 'telegram update failed', update_id: 99_999 });
    expect(user.lastMessage().text).toContain('Désolé');
    h.logs.length = 0;
  });
});

describe('bot: a refused press that can no longer be answered', () => {
  test('past the browsing budget, an alert Telegram refuses (query too old) is no error', async () => {
    const limited = createTestBot({ env: { RATE_LIMIT_REQUESTS: '1', RATE_LIMIT_WINDOW: '60' } });
    try {
      const user = limited.fake.user({ language_code: 'en' });
      await user.send('/start');
      await user.waitForMessage(/Hello/);
      // The browsing budget: 1 message x 4 presses.
      for (const label of ['❓ Help', '🏠 Menu', '❓ Help', '🏠 Menu']) {
        await user.tap(label);
        expect((await user.callbackAnswer()).show_alert).toBeFalsy();
      }
      limited.fake.failNext('answerCallbackQuery', TelegramErrors.queryInvalid());
      await user.tap('❓ Help');
      await limited.fake.idle();
      expect(limited.logs.filter((line) => line.level >= 50)).toEqual([]);
      expect(limited.fake.escaped).toEqual([]);
      // The next refused press is answered with the slow-down alert as usual.
      await user.tap('❓ Help');
      expect(await user.callbackAnswer()).toMatchObject({
        show_alert: true,
        text: expect.stringContaining('Slow down'),
      });
    } finally {
      await limited.stop();
    }
  });
});
