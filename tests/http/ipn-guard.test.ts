/**
 * The IPN endpoint is no amplifier: its body is capped, and bad signatures
 * are limited per IP address while a valid notification never is.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { buy, startShop, type Shop } from '../support/app.ts';

const LIMIT = 10;
const IPN_CAP = 16 * 1024;

describe('POST /api/ipn/nowpayments under attack', () => {
  let shop: Shop;
  beforeAll(async () => {
    shop = await startShop({ env: { RATE_LIMIT_REQUESTS: String(LIMIT), RATE_LIMIT_WINDOW: '3600' } });
  });
  afterAll(() => shop.stop());

  const ipnUrl = () => `${shop.url}/api/ipn/nowpayments`;
  const rateLimited = async () => {
    const text = await (await fetch(`${shop.url}/metrics`)).text();
    return Number(/^rate_limited_requests_total\{scope="ipn"\} (\d+)$/m.exec(text)?.[1] ?? 0);
  };

  test('a body over 16 KiB gets a JSON 413 before its signature is checked; a padded valid one under it passes', async () => {
    const payment = await buy(shop);
    await shop.provider.advance(payment.payment_id, 'waiting', { send: false });
    const big = await fetch(ipnUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-nowpayments-sig': 'ab'.repeat(64) },
      body: JSON.stringify({ payment_id: 1, padding: 'x'.repeat(900 * 1024) }),
    });
    expect(big.status).toBe(413);
    expect(((await big.json()) as { error: { code: string; details: unknown } }).error).toMatchObject({
      code: 'payload_too_large',
      details: { max_bytes: IPN_CAP },
    });
    // Correctly signed, but too large all the same: the cap comes first.
    expect(await shop.provider.sendIpn(payment.payment_id, { padding: 'x'.repeat(IPN_CAP) })).toBe(413);
    expect(await shop.provider.sendIpn(payment.payment_id, { padding: 'x'.repeat(12 * 1024) })).toBe(200);
  });

  test('bad signatures from one IP end in 429; a valid IPN from the same IP still gets 200', async () => {
    const payment = await buy(shop);
    await shop.provider.advance(payment.payment_id, 'finished', { send: false });
    const before = await rateLimited();
    const forged: number[] = [];
    for (let i = 0; i < 3 * LIMIT; i++) {
      forged.push(await shop.provider.sendIpn(payment.payment_id, {}, { signature: `${i}`.padStart(128, 'f') }));
    }
    // The first test's forged 413 never reached the signature check: all LIMIT failures are here.
    expect(forged.slice(0, LIMIT)).toEqual(Array(LIMIT).fill(401));
    expect(forged.slice(LIMIT)).toEqual(Array(2 * LIMIT).fill(429));
    expect(await rateLimited()).toBe(before + 2 * LIMIT);
    expect(shop.orderStatus(payment.order_id)).toBe('awaiting_payment');

    for (let i = 0; i < 3; i++) expect(await shop.provider.sendIpn(payment.payment_id)).toBe(200);
    expect(shop.orderStatus(payment.order_id)).toBe('paid');
  });
});
