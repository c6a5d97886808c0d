/**
 * Per-user limits: a flood of messages gets one "slow down" and is otherwise dropped while
 * others are served; every button press is answered (past the budget with an alert), browsing
 * has its own larger budget, and a buyer who pressed too much can still buy and pay.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { BROWSE_PRESSES_PER_MESSAGE } from '../../../src/bot/bot.ts';
import { createTestBot, type TestBot } from '../../support/bot.ts';

const LIMIT = 5;
const WINDOW_SECONDS = 60;

let h: TestBot;
beforeAll(() => {
  h = createTestBot({ env: { RATE_LIMIT_REQUESTS: String(LIMIT), RATE_LIMIT_WINDOW: String(WINDOW_SECONDS) } });
  h.product({ title: 'Flood control basics' });
});
afterAll(() => h.stop());

const limited = async (scope: string) => {
  const metric = await h.app.metrics.registry.getSingleMetric('rate_limited_requests_total')!.get();
  return metric.values.find((v) => v.labels.scope === scope)?.value ?? 0;
};

describe('bot: per-user rate limit', () => {
  test('100 messages in a second: at most the limit answered, one "slow down", others served normally', async () => {
    const flooder = h.fake.user({ first_name: 'Flo', language_code: 'en' });
    const other = h.fake.user({ first_name: 'Olga', language_code: 'en' });
    for (let i = 0; i < 100; i++) await flooder.send(`flood ${i}`);
    await other.send('/start');
    await other.waitForMessage(/Hello Olga/);

    await flooder.waitForMessage(/slow down/);
    // Every flood update handled: 95 refused, none of them answered beyond the one warning.
    await h.fake.idle();
    expect(await limited('bot')).toBe(100 - LIMIT);
    const texts = flooder.messages().map((m) => m.text ?? '');
    expect(texts.filter((t) => t.includes('slow down'))).toHaveLength(1);
    expect(texts.filter((t) => t.startsWith('🔎 Results'))).toHaveLength(LIMIT);
    expect(texts).toHaveLength(LIMIT + 1);

    // The other user was never held back.
    await other.send('flood control');
    await other.waitForMessage(/Results for “flood control”/);

    // Once the window has passed the flooder is served again.
    h.clock.advance(2 * WINDOW_SECONDS * 1000);
    await flooder.send('/help');
    await flooder.waitForMessage(/Help/);
  });
});

describe('bot: pressing buttons fast', () => {
  test('100 presses in a minute: each one answered (past the budget with an alert); the buyer still buys and pays', async () => {
    const course = await h.course({ title: 'Patience course', category: 'business' });
    const user = h.fake.user({ first_name: 'Tap', language_code: 'en' });
    await user.send('/browse');
    await user.waitForMessage(/Categories/);
    await user.tap(/^📊 Business/);
    await user.waitForMessage(/Business/);
    expect(user.buttons()).toContain('✓ 🔥 Bestsellers');

    const before = { bot: await limited('bot'), buttons: await limited('bot_buttons') };
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
    expect((await limited('bot_buttons')) - before.buttons).toBe(alerts.length);
    expect((await limited('bot')) - before.bot).toBe(0);

    // Same minute: typed messages and the buying buttons have their own budget.
    await user.send(`/start p_${course.id}`);
    await user.waitForMessage(/Price: /);
    await user.tap('⭐ Buy with Stars');
    await user.waitForMessage((m) => m.invoice !== undefined);
    const paid = await user.pay();
    if (!paid.ok) throw new Error(`checkout refused: ${JSON.stringify(paid)}`);
    expect(paid.ok).toBe(true);
    await h.fake.idle();
    await h.deliver(paid.successful_payment.invoice_payload);
    await user.waitForMessage((m) => m.document !== undefined);
    expect(user.documents().map((d) => d.sha256)).toEqual([course.file.sha256]);
  });
});
