/**
 * /payout: the seller's balance and payouts; "Request" reserves the whole available balance,
 * once, and alerts the admins in the bot. In process.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { createTestBot, type TestBot } from '../../support/bot.ts';
import type { TelegramUser } from '../../support/telegram-user.ts';

const ADMIN_ID = 555_000_001;
const BTC = 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq';

let h: TestBot;
beforeAll(() => {
  // PLATFORM_FEE_PERCENT 10: a 49.00 sale leaves the seller 44.10.
  h = createTestBot({ env: { ADMIN_USER_ID: String(ADMIN_ID), PLATFORM_FEE_PERCENT: '10' } });
});
afterAll(() => h.stop());

/** A seller onboarded through the module (the conversation has its own tests) with `sales` sales of 49.00. */
async function sellerWithSales(user: TelegramUser, sales: number) {
  const row = h.app.users.upsertTelegram({
    telegramId: user.id,
    firstName: 'Sam',
    languageCode: user.user.language_code,
  });
  const seller = h.app.sellers.profiles.register(row.id, {
    display_name: 'Sam <Teaches>',
    payout_network: 'BTC',
    payout_address: BTC,
  });
  for (let i = 0; i < sales; i++) {
    const product = h.app.sellers.publishCourse(seller.id, {
      title: `Course ${i + 1} of Sam`,
      description: 'Things.',
      price_cents: 4900,
      category: 'business',
    });
    const buyer = h.app.users.upsertTelegram({ telegramId: user.id * 10 + i, firstName: 'Bea' });
    const { order } = h.app.orders.create({ buyerId: buyer.id, productId: product.id, method: 'crypto' });
    h.app.orders.transition(order.id, { to: 'paid', actor: 'test' });
  }
  return seller;
}

describe('bot: /payout', () => {
  test('with enough balance: one pending payout of the whole balance, the admin alerted, the balance drops', async () => {
    const admin = h.fake.user({ id: ADMIN_ID, language_code: 'en' });
    const user = h.fake.user({ language_code: 'en' });
    const seller = await sellerWithSales(user, 1);
    await user.send('/payout');
    const screen = await user.waitForMessage(/Payout/);
    expect(screen.text).toContain('Available: $44.10 (pending: $0.00)');
    expect(screen.text).toContain(`Paid to: BTC ${BTC}`);
    expect(screen.text).toContain('Smallest payout: $20.00');
    expect(user.buttons()).toEqual(['💸 Request $44.10', '✏️ Change the payout address']);
    await user.tap('💸 Request $44.10');
    const done = await user.waitForMessage(/Payout #\d+ of \$44.10 requested/);
    expect(done.text).toContain('Available: $0.00 (pending: $44.10)');
    expect(done.text).toContain('⏳ pending');
    expect(user.buttons()).toEqual(['✏️ Change the payout address']);
    // Sent before the seller's confirmation.
    const alert = admin.lastMessage();
    expect(alert.text).toContain(`requested by Sam <Teaches>: $44.10 to BTC ${BTC}`);
    expect(h.app.sellers.payouts.history(seller.id)).toMatchObject([{ status: 'pending', amount_cents: 4410 }]);

    // The request's button pressed again (a double tap): refused, nothing more reserved.
    await user.tap('💸 Request $44.10', { messageId: screen.message_id }).catch(() => undefined);
    expect(h.app.sellers.payouts.history(seller.id)).toHaveLength(1);
  });

  test('below the smallest payout: no button, told why', async () => {
    const user = h.fake.user();
    const row = h.app.users.upsertTelegram({ telegramId: user.id, firstName: 'Low' });
    h.app.sellers.profiles.register(row.id, { display_name: 'Low Sales', payout_network: 'BTC', payout_address: BTC });
    await user.send('/payout');
    const screen = await user.waitForMessage(/Payout/);
    expect(screen.text).toContain('below the smallest payout');
    expect(user.buttons()).toEqual(['✏️ Change the payout address']);
  });

  test('not a seller: pointed to /sell; French seller reads French', async () => {
    const stranger = h.fake.user();
    await stranger.send('/payout');
    await stranger.waitForMessage('You are not a seller yet. Type /sell to become one.');
    const french = h.fake.user({ language_code: 'fr' });
    await sellerWithSales(french, 1);
    await french.send('/payout');
    const screen = await french.waitForMessage(/Paiement/);
    expect(screen.text).toContain('Disponible : 44,10');
  });
});
