/**
 * /start and its deep links (a product card, a seller's shop, the menu) and /language: the
 * start and language features through the whole bot chain, in process.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { createTestBot, type TestBot } from '../../support/bot.ts';

let h: TestBot;
beforeAll(() => {
  // Durable: the language chosen must outlive a restart.
  h = createTestBot({ durable: true });
});
afterAll(() => h.stop());

describe('bot: /start, deep links, /language', () => {
  test('/start shows the main menu in French to a French user', async () => {
    const amelie = h.fake.user({ first_name: 'Amélie', language_code: 'fr' });
    await amelie.send('/start');
    const menu = await amelie.waitForMessage(/Bonjour Amélie/);
    expect(menu.text).toContain('Que souhaitez-vous faire ?');
    expect(amelie.buttons()).toEqual([
      '🛍 Parcourir',
      '🔎 Rechercher',
      '📚 Mes achats',
      '💬 Assistance',
      '💼 Vendre',
      '🌐 Langue',
      '❓ Aide',
    ]);
  });

  test('/start shows the menu in English to everyone else, and the user is created', async () => {
    const hans = h.fake.user({ first_name: 'Hans', language_code: 'de' });
    await hans.send('/start');
    await hans.waitForMessage(/Hello Hans/);
    expect(hans.buttons()).toContain('🛍 Browse');
    const nobody = h.fake.user({ first_name: 'Nolang' });
    await nobody.send('/start');
    await nobody.waitForMessage(/Hello Nolang/);
    const row = h.app.users.findByTelegramId(hans.id);
    expect(row).toMatchObject({ telegramId: hans.id, firstName: 'Hans', language: 'en' });
  });

  test('deep link p_<id> opens the product card with its buy buttons', async () => {
    const product = await h.product({ title: 'Bitcoin from zero', price_cents: 4900, category: 'finance-crypto' });
    const buyer = h.fake.user({ first_name: 'Bea', language_code: 'en' });
    await buyer.send(`/start p_${product.id}`);
    const card = await buyer.waitForMessage(/Bitcoin from zero/);
    expect(card.text).toContain('Price: $49.00');
    expect(card.text).toContain('Seller: Ada Academy');
    expect(card.text).toContain('Rating: no reviews yet');
    expect(card.text).toContain('Sales: 0');
    expect(card.text).toContain(product.id);
    expect(buyer.buttons()).toEqual(expect.arrayContaining(['💳 Buy with crypto', '⭐ Buy with Stars', '⬅️ Back']));
    const buy = card.reply_markup!.inline_keyboard.flat().find((b) => b.text === '💳 Buy with crypto');
    expect(buy?.callback_data).toBe(`1:buy:crypto:${product.id}`);
  });

  test('deep link p_<id> of an unknown or removed product is answered politely', async () => {
    const product = await h.product({ title: 'Soon gone' });
    await h.removeProduct(product.id);
    const buyer = h.fake.user({ language_code: 'fr' });
    await buyer.send(`/start p_${product.id}`);
    await buyer.waitForMessage(/n'est plus disponible/);
    await buyer.send('/start p_TBF-0000-ZZZZZZ');
    await buyer.waitForMessage(/n'est plus disponible/);
  });

  test("deep link s_<sellerId> opens that seller's shop", async () => {
    const a = await h.product({ title: 'Shop course A', seller: 'Grace Studio' });
    await h.product({ title: 'Shop course B', seller: 'Grace Studio' });
    const buyer = h.fake.user({ language_code: 'en' });
    await buyer.send(`/start s_${a.seller_id}`);
    const shop = await buyer.waitForMessage(/Grace Studio/);
    expect(shop.text).toContain("Grace Studio's shop");
    expect(buyer.buttons().filter((b) => b.startsWith('Shop course'))).toHaveLength(2);
    await buyer.send('/start s_999999');
    await buyer.waitForMessage(/no courses on sale/);
  });

  test('/language switches the language, and the choice outlives a restart', async () => {
    const user = h.fake.user({ first_name: 'Zoe', language_code: 'fr' });
    await user.send('/language');
    await user.waitForMessage(/Choisissez votre langue/);
    await user.tap(/English/);
    expect((await user.callbackAnswer()).text).toBe('Language set to English.');
    const menu = await user.waitForMessage(/Hello Zoe/);
    expect(menu.text).toContain('What would you like to do?');
    expect(h.app.users.findByTelegramId(user.id)?.language).toBe('en');

    await h.restart();
    // The choice is the user's row: it outlives the process.
    await user.send('/start');
    await user.waitForMessage(/Hello Zoe/);
    await user.tap('🌐 Language');
    await user.waitForMessage(/Choose your language/);
    await user.tap(/Français/);
    await user.waitForMessage(/Bonjour Zoe/);
    await user.send('/help');
    await user.waitForMessage(/cette aide/);
  });
});
