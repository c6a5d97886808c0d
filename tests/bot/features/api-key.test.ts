/**
 * /apikey: a seller creates a key (shown once, and it works on the seller API's figures),
 * lists them, revokes one (then refused). In process.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { createTestBot, type TestBot } from '../../support/bot.ts';

const BTC = 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq';

let h: TestBot;
beforeAll(() => {
  h = createTestBot();
});
afterAll(() => h.stop());

describe('bot: /apikey', () => {
  test('create (shown once, authenticates as this seller), list, revoke', async () => {
    const user = h.fake.user({ language_code: 'en' });
    const row = h.app.users.upsertTelegram({ telegramId: user.id, firstName: 'Sam' });
    const seller = h.app.sellers.profiles.register(row.id, {
      display_name: 'Sam Teaches',
      payout_network: 'BTC',
      payout_address: BTC,
    });
    await user.send('/apikey');
    await user.waitForMessage(/You have no API key yet/);
    await user.tap('➕ New key');
    const created = await user.waitForMessage(/shown this once/);
    const key = /tbk_[A-Za-z0-9_]+/.exec(created.text!)![0];
    expect(h.app.apiKeys.authenticate(key)).toMatchObject({ role: 'seller', sellerId: seller.id });
    const list = await user.waitForMessage(/Your API keys/);
    const [listed] = h.app.apiKeys.listForSeller(seller.id);
    expect(list.text).toContain(listed!.id);
    expect(list.text).not.toContain(key);
    await user.tap(`🗑 Revoke ${listed!.id}`);
    await user.waitForMessage(new RegExp(`Key ${listed!.id} revoked\\.`));
    expect(h.app.apiKeys.authenticate(key)).toBeNull();
    expect(h.app.apiKeys.listForSeller(seller.id)).toEqual([]);
  });

  test("a seller cannot revoke another seller's key; not a seller: pointed to /sell", async () => {
    const other = h.app.apiKeys.create({ role: 'seller', seller_name: 'Other' });
    expect(() => h.app.apiKeys.revokeForSeller(other.seller_id! + 1000, other.id)).toThrow(/not found/);
    expect(h.app.apiKeys.authenticate(other.key)).not.toBeNull();
    const stranger = h.fake.user();
    await stranger.send('/apikey');
    await stranger.waitForMessage('You are not a seller yet. Type /sell to become one.');
  });
});
