/**
 * Support: the buyer's tickets and their state, and a new ticket's message that the
 * support-ticket conversation waits for (re-asked politely when too short, too long or not
 * text; ended by Cancel, any command or button, /cancel, or by time). In process.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { MAX_OPEN_TICKETS } from '../../../src/modules/support/model.ts';
import { createTestBot, type TestBot } from '../../support/bot.ts';

let h: TestBot;
beforeAll(() => {
  h = createTestBot();
});
afterAll(() => h.stop());

const errorsLogged = () => h.logs.filter((line) => line.level >= 50);
const ticketsOf = (telegramId: number) => h.app.support.listTickets(h.app.users.findByTelegramId(telegramId)!.id);

describe('bot: support', () => {
  test('/support -> New ticket -> a typed message: the ticket is listed as open', async () => {
    const user = h.fake.user({ language_code: 'en' });
    await user.send('/support');
    const screen = await user.waitForMessage(/Support/);
    expect(screen.text).toContain('You have no tickets yet.');
    expect(user.buttons()).toEqual(['✍️ New ticket', '🏠 Menu']);
    await user.tap('✍️ New ticket');
    await user.waitForMessage(/Describe your problem in one message/);
    expect(user.buttons()).toEqual(['✖️ Cancel']);
    await user.send('I cannot open the PDF <of my course>.');
    const opened = await user.waitForMessage(/is open/);
    const [ticket] = ticketsOf(user.id);
    expect(ticket).toMatchObject({ status: 'open', message: 'I cannot open the PDF <of my course>.' });
    expect(opened.text).toContain(`Ticket #${ticket!.id} is open`);
    expect(opened.text).toContain(`#${ticket!.id} · 🟢 open`);
    expect(opened.text).toContain('I cannot open the PDF <of my course>.');

    // The same list from the main menu; the next text is a search again.
    await user.send('/start');
    await user.waitForMessage(/Hello/);
    await user.tap('💬 Support');
    await user.waitForMessage(/🟢 open/);
    await user.send('bitcoin');
    await user.waitForMessage(/Results for/);
    expect(ticketsOf(user.id)).toHaveLength(1);
    expect(errorsLogged()).toEqual([]);
  });

  test('Cancel ends the wait: no ticket, and the next text is a search', async () => {
    const user = h.fake.user();
    await user.send('/support');
    await user.waitForMessage(/Support/);
    await user.tap('✍️ New ticket');
    await user.waitForMessage(/Describe your problem/);
    await user.tap('✖️ Cancel');
    expect(await user.callbackAnswer()).toMatchObject({ text: 'No ticket opened.' });
    await user.waitForMessage(/You have no tickets yet/);
    await user.send('design basics');
    await user.waitForMessage(/Results for/);
    expect(ticketsOf(user.id)).toEqual([]);
  });

  test('service refusals are polite: too short keeps the wait, too many open tickets ends it', async () => {
    const user = h.fake.user();
    await user.send('/support');
    await user.waitForMessage(/Support/);
    await user.tap('✍️ New ticket');
    await user.waitForMessage(/Describe your problem/);
    await user.send('help');
    await user.waitForMessage(/in a few more words/);
    await user.sendSticker();
    await user.waitForMessage(/type your message as text/);
    await user.send('x'.repeat(4000));
    await user.waitForMessage(/too long: 2,000 characters at most/);
    await user.send('My download link has expired.');
    await user.waitForMessage(/is open/);

    // `/support <message>` opens one at once.
    for (let i = 2; i <= MAX_OPEN_TICKETS; i++) {
      await user.send(`/support Question number ${i} about my order`);
      await user.waitForMessage(/is open/);
    }
    await user.tap('✍️ New ticket');
    await user.waitForMessage(/Describe your problem/);
    await user.send('One more question, please.');
    await user.waitForMessage(`You already have ${MAX_OPEN_TICKETS} open tickets`);
    expect(ticketsOf(user.id)).toHaveLength(MAX_OPEN_TICKETS);
    // The wait ended with the refusal.
    await user.send('bitcoin');
    await user.waitForMessage(/Results for/);
    expect(errorsLogged()).toEqual([]);
  });

  test('an answered ticket shows its state and the answer', async () => {
    const user = h.fake.user();
    await user.send('/support My course file is damaged, page 12 is blank.');
    await user.waitForMessage(/is open/);
    const [ticket] = ticketsOf(user.id);
    h.app.store.sqlite.run(
      "UPDATE support_tickets SET status = 'answered', admin_reply = 'A fixed file is on its way.' WHERE id = ?",
      [ticket!.id],
    );
    await user.send('/support');
    const screen = await user.waitForMessage(/💬 answered/);
    expect(screen.text).toContain('↪️ Our answer: A fixed file is on its way.');
  });

  test('a French user sees support in French', async () => {
    const user = h.fake.user({ language_code: 'fr' });
    await user.send('/start');
    await user.waitForMessage(/Bonjour/);
    await user.tap('💬 Assistance');
    await user.waitForMessage(/Vous n'avez encore aucune demande/);
    await user.tap('✍️ Nouvelle demande');
    await user.waitForMessage(/Décrivez votre problème en un message/);
    expect(user.buttons()).toEqual(['✖️ Annuler']);
    await user.sendSticker();
    await user.waitForMessage(/Merci d'écrire votre message sous forme de texte/);
    await user.send('Aide');
    await user.waitForMessage(/en quelques mots de plus/);
    await user.send("Je n'arrive pas à ouvrir le fichier.");
    const opened = await user.waitForMessage(/est ouverte/);
    expect(opened.text).toContain('🟢 ouverte');
    expect(opened.text).toContain('Vos demandes');
  });
});
