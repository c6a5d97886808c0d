/**
 * Waiting for a typed answer (@grammyjs/conversations, stored in SQLite): /cancel ends the
 * wait, a late answer (past ANSWER_TIMEOUT_MS on the app's clock) is taken for what it is, a
 * wait outlives a restart, and a payment arriving meanwhile is not taken for the answer.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { ANSWER_TIMEOUT_MS } from '../../../src/bot/middleware/conversations.ts';
import { createTestBot, type TestBot } from '../../support/bot.ts';
import { invoiceFor } from '../../support/buying.ts';
import type { TelegramUser } from '../../support/telegram-user.ts';

let h: TestBot;
beforeAll(() => {
  // Durable: a wait must outlive a restart.
  h = createTestBot({ durable: true });
});
afterAll(() => h.stop());

const ticketsOf = (user: TelegramUser) => h.app.support.listTickets(h.app.users.findByTelegramId(user.id)!.id);

/** /support -> New ticket: the bot now waits for the ticket's message. */
async function askForTicket(user: TelegramUser) {
  await user.send('/support');
  await user.waitForMessage(/Support/);
  await user.tap('✍️ New ticket');
  await user.waitForMessage(/Describe your problem/);
  // The question is shown before the wait begins: let the bot finish before the clock moves.
  await h.fake.idle();
}

describe('bot: waiting for a typed answer', () => {
  test('/cancel ends the wait and says so; with nothing to cancel it says that', async () => {
    const user = h.fake.user({ language_code: 'en' });
    await user.send('/cancel');
    await user.waitForMessage('There is nothing to cancel.');
    await askForTicket(user);
    await user.send('/cancel');
    await user.waitForMessage('OK, cancelled.');
    await user.send('My download link has expired.');
    await user.waitForMessage(/Results for/);
    expect(ticketsOf(user)).toEqual([]);

    const french = h.fake.user({ language_code: 'fr' });
    await french.send('/annuler');
    await french.waitForMessage(/Je ne connais pas cette commande/);
    await french.send('/cancel');
    await french.waitForMessage("Il n'y a rien à annuler.");
  });

  test('an answer later than the timeout is not taken for the answer: it is a search, and the wait is over', async () => {
    const user = h.fake.user({ language_code: 'en' });
    await askForTicket(user);
    h.clock.advance(ANSWER_TIMEOUT_MS - 60_000);
    await user.send('x');
    // In time: too short, asked again (and the wait starts over from this question).
    await user.waitForMessage(/in a few more words/);
    await h.fake.idle();
    h.clock.advance(ANSWER_TIMEOUT_MS);
    await user.send('My download link has expired.');
    await user.waitForMessage(/Results for/);
    await user.send('My download link has expired again.');
    await user.waitForMessage(/Results for/);
    expect(ticketsOf(user)).toEqual([]);
  });

  test('a wait outlives a restart: the next text after it is still the answer', async () => {
    const user = h.fake.user({ language_code: 'en' });
    await askForTicket(user);
    await h.restart();
    await user.send('The PDF of my course does not open.');
    const opened = await user.waitForMessage(/is open/);
    expect(opened.text).toContain('The PDF of my course does not open.');
    expect(ticketsOf(user)).toHaveLength(1);
  });

  test('a payment that arrives during the wait is handled as a payment, and the wait goes on', async () => {
    const course = await h.course({ title: 'Paid while waiting' });
    const user = h.fake.user({ language_code: 'en' });
    await invoiceFor(user, course.id);
    await askForTicket(user);
    const paid = await user.pay();
    expect(paid.ok).toBe(true);
    await user.waitForMessage('Payment received, thank you! Your course is on its way.');
    await user.send('Where is my course? I paid a minute ago.');
    await user.waitForMessage(/is open/);
    expect(ticketsOf(user).map((ticket) => ticket.message)).toEqual(['Where is my course? I paid a minute ago.']);
  });
});
