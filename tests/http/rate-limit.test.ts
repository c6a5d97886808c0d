/**
 * Who a request counts against: the API key only when it verifies, else the
 * IP address; every answer counts, refusals included.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { fakeClock, startTestApp, type TestApp } from '../support/app.ts';

const LIMIT = 15;

describe('rate limits count a client by its verified key, else by its IP address', () => {
  let running: TestApp;
  const clock = fakeClock();
  const statuses = async (requests: (() => Promise<Response>)[]) => {
    const out: number[] = [];
    for (const request of requests) out.push((await request()).status);
    return out;
  };
  const count = (list: number[], predicate: (status: number) => boolean) => list.filter(predicate).length;
  const nextWindow = () => clock.advance(2 * 60_000);

  beforeAll(async () => {
    running = await startTestApp({ env: { RATE_LIMIT_REQUESTS: String(LIMIT), RATE_LIMIT_WINDOW: '60' }, clock });
  });
  afterAll(() => running.stop());

  test('100 made-up bearer values from one IP: at most RATE_LIMIT_REQUESTS answered, the rest 429', async () => {
    nextWindow();
    const answers = await statuses(
      Array.from({ length: 100 }, (_, i) => () => running.call('GET', '/api/categories', { key: `junk${i + 1}` })),
    );
    expect(count(answers, (s) => s >= 200 && s < 300)).toBeLessThanOrEqual(LIMIT);
    expect(count(answers, (s) => s === 429)).toBe(100 - LIMIT);
  });

  test('made-up keys do not lift the payment and search budgets (a third of the limit)', async () => {
    nextWindow();
    const payments = await statuses(
      Array.from({ length: 30 }, (_, i) => () => running.call('POST', '/api/payment', { key: `junk${i}`, body: {} })),
    );
    expect(count(payments, (s) => s !== 429)).toBe(LIMIT / 3);
    nextWindow();
    // A trailing slash or a HEAD request reaches the same search.
    const searches = await statuses(
      Array.from(
        { length: 30 },
        (_, i) => () =>
          fetch(`${running.url}/api/products${i % 2 ? '/' : ''}?q=bitcoin`, {
            method: i % 3 ? 'GET' : 'HEAD',
            headers: { authorization: `Bearer j${i}` },
          }),
      ),
    );
    expect(count(searches, (s) => s !== 429)).toBe(LIMIT / 3);
  });

  test('a forged tbk_<real id>_... never spends the real key, and gets the IP budget only', async () => {
    nextWindow();
    const seller = await running.sellerKey('Forged shop');
    const forged = `tbk_${seller.key.split('_')[1]}_FORGED`;
    const answers = await statuses(
      Array.from({ length: 40 }, () => () => running.call('GET', '/api/categories', { key: forged })),
    );
    expect(count(answers, (s) => s === 200)).toBe(LIMIT);
    const real = await running.call('GET', '/api/categories', { key: seller.key });
    expect(real.status).toBe(200);
    expect(real.headers.get('ratelimit-remaining')).toBe(String(LIMIT - 1));
  });

  test('200 wrong admin keys from one IP end in 429; 401, 403 and 422 answers count too', async () => {
    nextWindow();
    const guesses = await statuses(
      Array.from(
        { length: 200 },
        (_, i) => () =>
          running.call('POST', '/api/admin/api-keys', {
            key: `admin-guess-${i}-0123456789abcdef`,
            body: { role: 'admin' },
          }),
      ),
    );
    expect(guesses.slice(0, LIMIT)).toEqual(Array(LIMIT).fill(401));
    expect(guesses.slice(LIMIT)).toEqual(Array(200 - LIMIT).fill(429));

    nextWindow();
    const seller = await running.sellerKey('Busy shop');
    const refusals = await statuses([
      ...Array.from(
        { length: 5 },
        () => () => running.call('POST', '/api/admin/api-keys', { key: seller.key, body: { role: 'admin' } }),
      ),
      ...Array.from(
        { length: 10 },
        () => () => running.call('POST', '/api/products', { key: seller.key, body: { title: 'x' } }),
      ),
    ]);
    expect(refusals).toEqual([...Array(5).fill(403), ...Array(10).fill(422)]);
    expect((await running.call('GET', '/api/categories', { key: seller.key })).status).toBe(429);
  });

  test('a verified key keeps its own budget when its IP address has none left', async () => {
    nextWindow();
    const seller = await running.sellerKey('Shared office');
    await statuses(Array.from({ length: LIMIT + 1 }, () => () => running.call('GET', '/api/categories')));
    expect((await running.call('GET', '/api/categories')).status).toBe(429);
    expect((await running.call('GET', '/api/categories', { key: seller.key })).status).toBe(200);
  });
});
