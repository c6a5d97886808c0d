/**
 * /dashboard: a seller's sales, fees and balance (the same figures as the sellers module's),
 * top courses and rating, the 30-day chart as a real PNG photo, the sales as a CSV document.
 * In process.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { createTestBot, type TestBot } from '../../support/bot.ts';
import type { TelegramUser } from '../../support/telegram-user.ts';
import { pngSize } from '../../lib/png.ts';

const BTC = 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq';

let h: TestBot;
beforeAll(() => {
  h = createTestBot({ env: { PLATFORM_FEE_PERCENT: '10' } });
});
afterAll(() => h.stop());

function sellerWithSale(user: TelegramUser, priceCents: number) {
  const row = h.app.users.upsertTelegram({
    telegramId: user.id,
    firstName: 'Sam',
    languageCode: user.user.language_code,
  });
  const seller = h.app.sellers.profiles.register(row.id, {
    display_name: 'Sam Teaches',
    payout_network: 'BTC',
    payout_address: BTC,
  });
  const product = h.app.sellers.publishCourse(seller.id, {
    title: 'Tidy data in practice',
    description: 'Things.',
    price_cents: priceCents,
    category: 'business',
  });
  const buyer = h.app.users.upsertTelegram({ telegramId: user.id + 1_000_000, firstName: 'Bea' });
  const { order } = h.app.orders.create({ buyerId: buyer.id, productId: product.id, method: 'crypto' });
  h.app.orders.transition(order.id, { to: 'paid', actor: 'test' });
  return { seller, product, order };
}

describe('bot: /dashboard', () => {
  test('shows the sale, the fee and the balance (= price - fee), sends a PNG chart and the CSV of sales', async () => {
    const user = h.fake.user({ language_code: 'en' });
    const { order, product } = sellerWithSale(user, 4900);
    await user.send('/dashboard');
    const text = await user.waitForMessage(/Your dashboard/);
    expect(text.text).toContain('Today: 1 sales · $49.00 (fees $4.90, yours $44.10)');
    expect(text.text).toContain('All time: 1 sales · $49.00 (fees $4.90, yours $44.10)');
    expect(text.text).toContain('Balance: $44.10 available · $0.00 pending · $0.00 paid out');
    expect(text.text).toContain('1. Tidy data in practice · 1 · $49.00');
    const chart = await user.waitForMessage((m) => m.photo !== undefined, { timeoutMs: 15_000 });
    expect(chart.caption).toContain('last 30 days');
    const [photo] = user.photos();
    expect(pngSize(photo!.bytes)!.width).toBeGreaterThanOrEqual(600);

    await user.tap('📄 Export sales (CSV)');
    await user.waitForMessage((m) => m.document !== undefined);
    const [csv] = user.documents();
    expect(csv!.file_name).toBe('sales.csv');
    const lines = new TextDecoder().decode(csv!.bytes).trim().split('\r\n');
    expect(lines[0]).toBe('order_id,product_id,paid_at,price,fee,net,currency,payment_method');
    expect(lines.slice(1)).toEqual([
      `${order.id},${product.id},${new Date(h.clock.now()).toISOString()},49.00,4.90,44.10,USD,crypto`,
    ]);
  }, 30_000);

  test('not a seller: pointed to /sell', async () => {
    const user = h.fake.user();
    await user.send('/dashboard');
    await user.waitForMessage('You are not a seller yet. Type /sell to become one.');
  });
});
