import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { eventually, startBotApp, type BotHarness } from './harness.ts';

const LIMIT = 5;
const WINDOW_SECONDS = 60;

let h: BotHarness;
beforeAll(async () => {
  h = await startBotApp({ env: { RATE_LIMIT_REQUESTS: String(LIMIT), RATE_LIMIT_WINDOW: String(WINDOW_SECONDS) } });
  await h.product({ title: 'Flood control basics' });
});
afterAll(() => h.stop());

const limited = async () => {
  const metric = await h.app.metrics.registry.getSingleMetric('rate_limited_requests_total')!.get();
  return metric.values.find((v) => v.labels.scope === 'bot')?.value ?? 0;
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
    await eventually(async () => (await limited()) === 100 - LIMIT, 'the flood to be handled');
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
