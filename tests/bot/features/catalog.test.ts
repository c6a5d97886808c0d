/**
 * Browsing (categories, paged lists kept in the session, product cards) and search (plain
 * text, /search, a product id): the catalog and search features in process.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { createTestBot, type TestBot } from '../../support/bot.ts';

let h: TestBot;
const ids: string[] = [];
beforeAll(async () => {
  h = createTestBot();
  // Ten courses in one category: two pages of eight.
  for (let i = 1; i <= 10; i++)
    ids.push((await h.product({ title: `Design lesson ${i}`, category: 'design-creatif', price_cents: 1000 + i })).id);
  await h.product({
    title: 'Ethereum smart contracts',
    category: 'developpement',
    description: 'Solidity from the ground up, with tests.',
  });
});
afterAll(() => h.stop());

const errorsLogged = () => h.logs.filter((line) => line.level >= 50);

describe('bot: browse and search', () => {
  test('browse: categories with counts -> paginated list -> card -> back, all in one edited message', async () => {
    const user = h.fake.user({ language_code: 'en' });
    await user.send('/start');
    await user.waitForMessage(/Hello/);
    await user.tap('🛍 Browse');
    await user.waitForMessage(/Categories/);
    expect(user.buttons()).toEqual(
      expect.arrayContaining(['🎨 Design & Creative (10)', '💻 Development (1)', '💰 Finance & Crypto (0)']),
    );

    await user.tap('🎨 Design & Creative (10)');
    const page1 = await user.waitForMessage(/Design & Creative/);
    expect(page1.text).toContain('Page 1');
    const products = () => user.buttons().filter((b) => b.startsWith('Design lesson'));
    expect(products()).toHaveLength(8);
    expect(user.buttons()).toEqual(
      expect.arrayContaining(['Next ▶️', '✓ 🔥 Bestsellers', '🆕 Newest', '⬅️ Back', '🏠 Menu']),
    );
    expect(user.buttons()).not.toContain('◀️ Previous');

    await user.tap('Next ▶️');
    await user.waitForMessage(/Page 2/);
    expect(products()).toHaveLength(2);
    expect(user.buttons()).toContain('◀️ Previous');
    expect(user.buttons()).not.toContain('Next ▶️');

    await user.tap('🆕 Newest');
    await user.waitForMessage(/Page 1/);
    expect(products()[0]).toStartWith('Design lesson 10 · $10.10');
    await user.tap(/^Design lesson 10 /);
    const card = await user.waitForMessage(/Price: \$10\.10/);
    expect(card.text).toContain('Design lesson 10');
    // Stars are on: the price in Stars (STARS_PER_USD 50) stands beside the fiat one.
    expect(card.text).toContain('Price: $10.10 · 505 Stars');
    await user.tap('⬅️ Back');
    await user.waitForMessage(/Page 1/);
    expect(user.buttons()).toContain('✓ 🆕 Newest');
    // Navigation edited the menu message in place: the chat holds one bot message.
    expect(user.messages()).toHaveLength(1);
    expect(errorsLogged()).toEqual([]);
  });

  test('the list and its cursors live in the SQLite session of the chat', async () => {
    const user = h.fake.user();
    await user.send('/browse');
    await user.waitForMessage(/Categories/);
    await user.tap('🎨 Design & Creative (10)');
    await user.waitForMessage(/Page 1/);
    type Stored = { list?: { key: string; cursors: string[] } };
    const stored = () =>
      h.app.store.sqlite.query('SELECT value FROM bot_sessions WHERE key = ?').get(String(user.id)) as {
        value: string;
      } | null;
    // The session is written once the update is handled, just after the reply went out.
    await h.fake.idle();
    expect((JSON.parse(stored()?.value ?? '{}') as Stored).list).toBeDefined();
    const session = JSON.parse(stored()!.value) as Required<Stored>;
    expect(session.list.key).toMatch(/^c\d+\.top$/);
    expect(session.list.cursors).toHaveLength(2);
  });

  test('a product button of a course removed meanwhile gets a polite alert', async () => {
    const user = h.fake.user();
    await user.send('/browse');
    await user.waitForMessage(/Categories/);
    await user.tap('💻 Development (1)');
    await user.waitForMessage(/Development/);
    const [id] = h.app.catalog.listProducts({ q: 'Ethereum' }).items.map((p) => p.id);
    await h.removeProduct(id!);
    await user.tap(/^Ethereum smart contracts/);
    const answer = await user.callbackAnswer();
    expect(answer).toMatchObject({ text: expect.stringContaining('no longer available'), show_alert: true });
  });

  test('search: plain text, /search, a product id, and nothing found', async () => {
    const user = h.fake.user({ language_code: 'fr' });
    await user.send('design lesson');
    const results = await user.waitForMessage(/Résultats pour « design lesson »/);
    expect(results.reply_markup!.inline_keyboard.flat().filter((b) => b.text.startsWith('Design lesson'))).toHaveLength(
      8,
    );
    expect(user.buttons()).toContain('✓ 🎯 Pertinence');
    await user.tap('Suivant ▶️');
    await user.waitForMessage(/Page 2/);

    await user.send('/search lesson 3');
    await user.waitForMessage(/Résultats pour « lesson 3 »/);
    expect(user.buttons().filter((b) => b.startsWith('Design lesson'))).toEqual([
      expect.stringMatching(/^Design lesson 3 · 10,03/),
    ]);
    // The current order again: Telegram says "message is not modified", which is no error.
    await user.tap('✓ 🎯 Pertinence');
    await user.callbackAnswer();
    expect(h.fake.lastCall('editMessageText').response).toMatchObject({
      ok: false,
      description: expect.stringContaining('not modified'),
    });

    await user.send(ids[4]!.toLowerCase());
    const card = await user.waitForMessage(/Prix : /);
    expect(card.text).toContain('Design lesson 5');

    await user.send('quantum basket weaving');
    const empty = await user.waitForMessage(/Aucune formation ne correspond/);
    // Nothing found, nothing to sort.
    expect(empty.reply_markup!.inline_keyboard.flat().map((b) => b.text)).toEqual(['🏠 Menu']);
    expect(errorsLogged()).toEqual([]);
  });

  test('/search alone asks what to look for; the Search button too', async () => {
    const user = h.fake.user();
    await user.send('/search');
    await user.waitForMessage(/Send me a few words/);
    await user.send('/start');
    await user.waitForMessage(/Hello/);
    await user.tap('🔎 Search');
    await user.waitForMessage(/Send me a few words/);
  });
});
