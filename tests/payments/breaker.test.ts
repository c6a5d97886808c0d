/**
 * NOWPayments down: payment creation answers 503 (never 500), the circuit breaker opens and then
 * fails fast without touching the provider, /ready says so, and a half-open probe closes it again
 * once the provider is back. The breaker's open -> half-open wait is opossum's own timer on real
 * time, so this app gets a short reset timeout (and short retry backoffs) through AppDeps.
 */
import { afterEach, describe, expect, test } from 'bun:test';
import type { BreakerOptions, RetryOptions } from '../../src/lib/http-client.ts';
import { startShop, type Shop } from '../support/app.ts';

const RESET_MS = 600;
const BREAKER: BreakerOptions = {
  errorThresholdPercentage: 50,
  volumeThreshold: 4,
  resetTimeoutMs: RESET_MS,
  rollingWindowMs: 60_000,
};
const RETRY: RetryOptions = { retries: 2, minTimeoutMs: 5, maxTimeoutMs: 5_000 };

let shop: Shop;
afterEach(() => shop?.stop());

let buyers = 0;
/** POST /api/payment for a new buyer each time, so no earlier order or payment is handed back. */
async function tryToBuy(): Promise<{ response: Response; ms: number }> {
  const body = { product_id: shop.productId, pay_currency: 'btc', email: `buyer${++buyers}@example.com` };
  const started = performance.now();
  const response = await shop.call('POST', '/api/payment', { body });
  const ms = performance.now() - started;
  return { response, ms };
}

async function readiness() {
  const response = await shop.call('GET', '/ready');
  const body = (await response.json()) as { components: Record<string, { status: string; detail?: string }> };
  return { status: response.status, nowpayments: body.components.nowpayments! };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

describe('NOWPayments circuit breaker', () => {
  test('down -> 503 until the breaker opens -> fast 503 + Retry-After without a request -> half-open probe -> 201', async () => {
    shop = await startShop({ app: { nowpaymentsHttp: { breaker: BREAKER, retry: RETRY } } });
    const first = await tryToBuy();
    expect(first.response.status).toBe(201);
    expect(await readiness()).toEqual({ status: 200, nowpayments: { status: 'up', detail: 'circuit closed' } });

    await shop.provider.setFault('down');
    let opened = false;
    for (let call = 1; call <= 5 && !opened; call++) {
      const { response } = await tryToBuy();
      expect(response.status).toBe(503);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('unavailable');
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
      opened = (await readiness()).nowpayments.status === 'down';
    }
    expect(opened).toBe(true);
    expect(await readiness()).toEqual({ status: 503, nowpayments: { status: 'down', detail: 'circuit open' } });

    // The provider listens again but still fails: an open circuit must not even ask it.
    await shop.provider.setFault('error500');
    const seen = shop.provider.requests().length;
    const timings: number[] = [];
    for (let i = 0; i < 5; i++) {
      const { response, ms } = await tryToBuy();
      timings.push(ms);
      expect(response.status).toBe(503);
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      const body = (await response.json()) as { error: { code: string; message: string; details: unknown } };
      expect(body).toEqual({
        error: {
          code: 'unavailable',
          message: expect.stringContaining('circuit open'),
          details: { upstream: 'nowpayments' },
        },
      });
    }
    expect(median(timings)).toBeLessThan(50);
    expect(shop.provider.requests().length).toBe(seen);

    // Back up. After the reset timeout (real time: opossum's timer) one probe is let through.
    await shop.provider.setFault(null);
    const deadline = performance.now() + RESET_MS + 5_000;
    let state = await readiness();
    while (state.nowpayments.detail === 'circuit open' && performance.now() < deadline) {
      await Bun.sleep(20);
      state = await readiness();
    }
    expect(state).toEqual({ status: 200, nowpayments: { status: 'up', detail: 'circuit half_open' } });
    const recovered = await tryToBuy();
    expect(recovered.response.status).toBe(201);
    expect(shop.provider.requests().length).toBeGreaterThan(seen);
    expect(await readiness()).toEqual({ status: 200, nowpayments: { status: 'up', detail: 'circuit closed' } });
    expect((await tryToBuy()).response.status).toBe(201);
  });
});

describe('NOWPayments rate limit (429 + Retry-After)', () => {
  const currencyCalls = () => shop.provider.requests().filter((r) => r.path === '/v1/currencies').length;

  test('a short Retry-After is waited out, then the retry succeeds', async () => {
    shop = await startShop();
    await shop.provider.setFault('rateLimited', { retryAfter: 1 });
    const started = performance.now();
    const pending = shop.call('GET', '/api/currencies');
    while (currencyCalls() === 0) await Bun.sleep(5);
    await shop.provider.setFault(null);

    const response = await pending;
    const elapsed = performance.now() - started;
    expect(response.status).toBe(200);
    expect(((await response.json()) as { currencies: string[] }).currencies).toContain('btc');
    expect(currencyCalls()).toBe(2);
    // The retry waited for the second the provider asked for (a lower bound: no upper one is asserted).
    expect(elapsed).toBeGreaterThanOrEqual(950);
  });

  test('a Retry-After longer than we hold a caller: 503 with that Retry-After at once, one request', async () => {
    shop = await startShop();
    await shop.provider.setFault('rateLimited', { retryAfter: 120 });
    const response = await shop.call('GET', '/api/currencies');
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('120');
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('unavailable');
    expect(currencyCalls()).toBe(1);
  });
});
