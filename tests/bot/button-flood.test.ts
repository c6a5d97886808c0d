/**
 * Button presses under the per-user limits (issue 10, item 11): every press is answered, the
 * refused ones with the slow-down text as an alert, browsing has its own larger budget, and a
 * buyer who pressed too much can still buy and pay.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { BROWSE_PRESSES_PER_MESSAGE } from '../../src/bot/bot.ts';
import { startBuyShop, type BuyShop } from './buy-shop.ts';

const LIMIT = 5;
let shop: BuyShop;
beforeAll(async () => {
  shop = await startBuyShop({ harness: { env: { RATE_LIMIT_REQUESTS: String(LIMIT), RATE_LIMIT_WINDOW: '60' } } });
});
afterAll(() => shop.stop());

const limited = async (scope: string) => {
  const metric = await shop.h.app.metrics.registry.getSingleMetric('rate_limited_requests_total')!.get();
  return metric.values.find((v) => v.labels.scope === scope)?.value ?? 0;
};

describe('bot: pressing buttons fast', () => {
  test('100 presses in a minute: each one answered (past the budget with an alert); the buyer still buys and pays', async () => {
    const course = await shop.course({ title: 'Patience course', category: 'business' });
    const user = shop.h.fake.user({ first_name: 'Tap', language_code: 'en' });
    await user.send('/browse');
    await user.waitForMessage(/Categories/);
    await user.tap(/^📊 Business/);
    await user.waitForMessage(/Business/);
    expect(user.buttons()).toContain('✓ 🔥 Bestsellers');

    const answers = [];
    for (let i = 0; i < 100; i++) {
      // The current order again: the list is shown anew (Telegram: "not modified") or refused.
      await user.tap('✓ 🔥 Bestsellers');
      answers.push(await user.callbackAnswer());
    }
    const budget = LIMIT * BROWSE_PRESSES_PER_MESSAGE;
    const alerts = answers.filter((a) => a.show_alert);
    // One press (the category) went to reaching the list; the rest of the browsing budget was served.
    expect(answers.length - alerts.length).toBe(budget - 1);
    expect(alerts).toHaveLength(100 - (budget - 1));
    expect(alerts[0]!.text).toMatch(/^Slow down! Please wait \d+ seconds? before pressing more buttons\.$/);
    expect(await limited('bot_buttons')).toBe(alerts.length);
    expect(await limited('bot')).toBe(0);

    // Same minute: typed messages and the buying buttons have their own budget.
    await user.send(`/start p_${course.id}`);
    await user.waitForMessage(/Price: /);
    await user.tap('⭐ Buy with Stars');
    await user.waitForMessage((m) => m.invoice !== undefined);
    const paid = await user.pay();
    expect(paid.ok).toBe(true);
    await user.waitForMessage((m) => m.document !== undefined, { timeoutMs: 10_000 });
    expect(user.documents().map((d) => d.sha256)).toEqual([course.file.sha256]);
  });
});
