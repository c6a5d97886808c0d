import { afterAll, afterEach, beforeAll, describe, expect, test } from 'bun:test';
import { verifyIpn } from '../../src/modules/payments/nowpayments/signature.ts';
import { startFakeNowPayments, type FakeNowPayments } from './nowpayments.ts';

const API_KEY = 'A7M40XV-CG1448Z-KVVED3G-NW3V0TK';
const IPN_SECRET = 'fake-ipn-secret';
const NOW = Date.parse('2026-11-02T10:00:00.000Z');

/** The app's side of an IPN, reduced to what the protocol needs: verify, then answer. */
interface Received {
  raw: string;
  signature: string | null;
  verified: ReturnType<typeof verifyIpn>;
}
const received: Received[] = [];
let answerWith = 200;
const receiver = Bun.serve({
  hostname: '127.0.0.1',
  port: 0,
  async fetch(request) {
    const raw = await request.text();
    const signature = request.headers.get('x-nowpayments-sig');
    const verified = verifyIpn(raw, signature, IPN_SECRET);
    received.push({ raw, signature, verified });
    return new Response(null, { status: verified.ok ? answerWith : 401 });
  },
});
const ipnUrl = `http://127.0.0.1:${receiver.port}/payments/nowpayments/ipn`;

let fake: FakeNowPayments;
beforeAll(() => {
  fake = startFakeNowPayments({ apiKey: API_KEY, ipnSecret: IPN_SECRET, clock: { now: () => NOW } });
});
afterEach(async () => {
  received.length = 0;
  answerWith = 200;
  await fake.setFault(null);
});
afterAll(async () => {
  await fake.stop();
  await receiver.stop(true);
});

const call = (path: string, init: RequestInit & { key?: string | null } = {}) => {
  const headers = new Headers(init.headers);
  if (init.key !== null) headers.set('x-api-key', init.key ?? API_KEY);
  if (init.body) headers.set('content-type', 'application/json');
  return fetch(`${fake.url}${path}`, { ...init, headers });
};
const createPayment = (body: Record<string, unknown>, key?: string | null) =>
  call('/v1/payment', { method: 'POST', body: JSON.stringify(body), key });
const PRICE = { price_amount: 5.31, price_currency: 'usd', pay_currency: 'btc' };

describe('fake NOWPayments speaks the documented API', () => {
  test('GET /v1/status answers OK without a key; currencies list the usual coins', async () => {
    const status = await call('/v1/status', { key: null });
    expect(status.status).toBe(200);
    expect(await status.json()).toEqual({ message: 'OK' });
    const { currencies } = (await (await call('/v1/currencies')).json()) as { currencies: string[] };
    for (const coin of ['btc', 'eth', 'usdttrc20', 'ltc', 'xmr', 'doge', 'sol', 'trx'])
      expect(currencies).toContain(coin);
  });

  test('POST /v1/payment with x-api-key creates a waiting payment with the documented fields', async () => {
    const response = await createPayment({
      ...PRICE,
      order_id: 'TBF-2611-ABCDEF',
      order_description: 'Course x 1',
      ipn_callback_url: ipnUrl,
      is_fixed_rate: true,
      is_fee_paid_by_user: false,
    });
    expect(response.status).toBe(201);
    const payment = (await response.json()) as Record<string, unknown>;
    expect(payment).toMatchObject({
      payment_status: 'waiting',
      price_amount: 5.31,
      price_currency: 'usd',
      pay_currency: 'btc',
      order_id: 'TBF-2611-ABCDEF',
      order_description: 'Course x 1',
      ipn_callback_url: ipnUrl,
      created_at: '2026-11-02T10:00:00.000Z',
      updated_at: '2026-11-02T10:00:00.000Z',
      network: 'btc',
      network_precision: 8,
      time_limit: null,
      burning_percent: null,
      payin_extra_id: null,
      expiration_estimate_date: '2026-11-03T10:00:00.000Z',
      is_fixed_rate: true,
      is_fee_paid_by_user: false,
      valid_until: '2026-11-02T10:20:00.000Z',
      type: 'crypto2crypto',
    });
    // As in the reference: ids are strings here, amounts are JSON numbers with crypto decimals.
    expect(payment.payment_id).toMatch(/^\d{10}$/);
    expect(payment.purchase_id).toMatch(/^\d{10}$/);
    expect(payment.pay_amount).toBe(0.00008265);
    expect(typeof payment.amount_received).toBe('number');
    expect(payment.pay_address).toMatch(/^bc1q[02-9ac-hj-np-z]{38}$/);
    expect(payment).toHaveProperty('smart_contract');

    const logged = fake.requests().at(-1)!;
    expect(logged).toMatchObject({ method: 'POST', path: '/v1/payment', body: { order_id: 'TBF-2611-ABCDEF' } });
    expect(logged.headers['x-api-key']).toBe(API_KEY);
  });

  test('a missing or wrong x-api-key gets 403 INVALID_API_KEY in the error envelope', async () => {
    for (const key of [null, 'wrong-key']) {
      const response = await createPayment(PRICE, key);
      expect(response.status).toBe(403);
      expect(await response.json()).toEqual({
        status: false,
        statusCode: 403,
        code: 'INVALID_API_KEY',
        message: 'Invalid api key',
      });
      expect((await call('/v1/payment/5745459419', { key })).status).toBe(403);
    }
  });

  test('missing required fields and bad values get 400 INVALID_REQUEST_PARAMS', async () => {
    for (const field of ['price_amount', 'price_currency', 'pay_currency']) {
      const { [field]: _omitted, ...body } = PRICE as Record<string, unknown>;
      const response = await createPayment(body);
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        status: false,
        statusCode: 400,
        code: 'INVALID_REQUEST_PARAMS',
        message: `${field} is required`,
      });
    }
    for (const bad of [
      { price_amount: 'abc' },
      { pay_currency: 'nope' },
      { ipn_callback_url: 'not a url' },
      { is_fixed_rate: 'yes' },
    ]) {
      const response = await createPayment({ ...PRICE, ...bad });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { code: string }).code).toBe('INVALID_REQUEST_PARAMS');
    }
  });

  test('an amount below the minimum is refused with AMOUNT_MINIMAL_ERROR, as min-amount predicts', async () => {
    const min = (await (await call('/v1/min-amount?currency_from=usdttrc20&currency_to=usdttrc20')).json()) as Record<
      string,
      unknown
    >;
    expect(min).toEqual({ currency_from: 'usdttrc20', currency_to: 'usdttrc20', min_amount: 9.2 });
    const response = await createPayment({ price_amount: 5, price_currency: 'usd', pay_currency: 'usdttrc20' });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      status: false,
      statusCode: 400,
      code: 'AMOUNT_MINIMAL_ERROR',
      message: 'Crypto amount 5 is less than minimal',
    });
    expect((await createPayment({ price_amount: 10, price_currency: 'usd', pay_currency: 'usdttrc20' })).status).toBe(
      201,
    );
  });

  test('GET /v1/estimate and /v1/min-amount answer in the documented shape', async () => {
    const estimate = await (await call('/v1/estimate?amount=5.31&currency_from=usd&currency_to=btc')).json();
    expect(estimate).toEqual({
      currency_from: 'usd',
      amount_from: 5.31,
      currency_to: 'btc',
      estimated_amount: 0.00008265,
    });
    const min = (await (
      await call('/v1/min-amount?currency_from=btc&currency_to=usd&fiat_equivalent=usd')
    ).json()) as Record<string, number>;
    expect(min).toMatchObject({ currency_from: 'btc', currency_to: 'usd', min_amount: 0.0000199 });
    expect(min.fiat_equivalent).toBeGreaterThan(1);
    const bad = await call('/v1/min-amount?currency_from=%5Bobject%20Object%5D');
    expect(await bad.json()).toMatchObject({
      code: 'INVALID_REQUEST_PARAMS',
      message: 'currency_from must only contain alpha-numeric characters',
    });
  });

  test('GET /v1/payment/{id} returns the payment with a numeric payment_id; bad ids are refused', async () => {
    const created = (await (await createPayment({ ...PRICE, order_id: 'O-1', ipn_callback_url: ipnUrl })).json()) as {
      payment_id: string;
    };
    const response = await call(`/v1/payment/${created.payment_id}`);
    expect(response.status).toBe(200);
    const payment = (await response.json()) as Record<string, unknown>;
    expect(payment).toMatchObject({
      payment_id: Number(created.payment_id),
      payment_status: 'waiting',
      actually_paid: 0,
      pay_amount: 0.00008265,
      pay_currency: 'btc',
      price_amount: 5.31,
      price_currency: 'usd',
      order_id: 'O-1',
      outcome_currency: 'btc',
      invoice_id: null,
    });
    expect(typeof payment.outcome_amount).toBe('number');
    expect(await (await call('/v1/payment/status')).json()).toEqual({
      status: false,
      statusCode: 400,
      code: 'INVALID_REQUEST_PARAMS',
      message: 'Payment id must be a number',
    });
    expect((await call('/v1/payment/1')).status).toBe(404);
  });
});

describe('fake NOWPayments delivers IPNs like NOWPayments', () => {
  const newPayment = async (extra: Record<string, unknown> = {}) => {
    const body = (await (
      await createPayment({ ...PRICE, order_id: 'TBF-2611-ABCDEF', ipn_callback_url: ipnUrl, ...extra })
    ).json()) as { payment_id: string };
    return body.payment_id;
  };

  test('advance() posts a signed IPN that verifies, with the documented fields, and returns the answer', async () => {
    const id = await newPayment();
    expect(await fake.advance(id, 'confirming')).toBe(200);
    answerWith = 204;
    expect(await fake.advance(id, 'finished')).toBe(204);

    expect(received).toHaveLength(2);
    const last = received[1]!;
    expect(last.signature).toMatch(/^[0-9a-f]{128}$/);
    expect(last.verified.ok).toBe(true);
    if (!last.verified.ok) return;
    const ipn = last.verified.body;
    expect(Object.keys(ipn).sort()).toEqual([
      'actually_paid',
      'actually_paid_at_fiat',
      'fee',
      'invoice_id',
      'order_description',
      'order_id',
      'outcome_amount',
      'outcome_currency',
      'parent_payment_id',
      'pay_address',
      'pay_amount',
      'pay_currency',
      'payin_extra_id',
      'payment_extra_ids',
      'payment_id',
      'payment_status',
      'price_amount',
      'price_currency',
      'purchase_id',
      'updated_at',
    ]);
    expect(ipn).toMatchObject({
      payment_id: Number(id),
      payment_status: 'finished',
      order_id: 'TBF-2611-ABCDEF',
      pay_currency: 'btc',
      pay_amount: 0.00008265,
      actually_paid: 0.00008265,
      price_amount: 5.31,
      price_currency: 'usd',
      parent_payment_id: null,
      invoice_id: null,
      updated_at: NOW,
    });
    expect(ipn.fee).toEqual({ currency: 'btc', depositFee: 8e-8, withdrawalFee: 0, serviceFee: 4.1e-7 });
    // Sent as production sends it: keys already sorted, JavaScript number formatting.
    expect(last.raw).toContain('"fee":{"currency":"btc","depositFee":8e-8,"serviceFee":4.1e-7,"withdrawalFee":0}');
    expect(fake.payment(id)?.payment_status).toBe('finished');
    expect(fake.ipns().map((d) => d.status)).toEqual([200, 204]);
    const polled = (await (await call(`/v1/payment/${id}`)).json()) as Record<string, unknown>;
    expect(polled).toMatchObject({ payment_status: 'finished', actually_paid: 0.00008265 });
  });

  test('advance() options: partial amount, parent payment, fee, and send: false', async () => {
    const id = await newPayment();
    expect(
      await fake.advance(id, 'partially_paid', {
        actuallyPaid: 0.00004,
        parentPaymentId: '5745459400',
        fee: { withdrawalFee: 0.000001 },
        send: false,
      }),
    ).toBeNull();
    expect(received).toHaveLength(0);
    expect(fake.payment(id)).toMatchObject({
      payment_status: 'partially_paid',
      actually_paid: 0.00004,
      parent_payment_id: 5745459400,
    });
    expect(await fake.sendIpn(id)).toBe(200);
    expect(received[0]?.verified).toMatchObject({
      ok: true,
      body: {
        payment_status: 'partially_paid',
        actually_paid: 0.00004,
        parent_payment_id: 5745459400,
        fee: { withdrawalFee: 0.000001 },
      },
    });
  });

  test('sendIpn() forges: wrong secret, stripped header, tampered body are refused; replays verify', async () => {
    const id = await newPayment();
    await fake.advance(id, 'finished', { send: false });
    expect(await fake.sendIpn(id, {}, { secret: 'not-the-secret' })).toBe(401);
    expect(await fake.sendIpn(id, {}, { signature: null })).toBe(401);
    expect(received[1]?.signature).toBeNull();
    expect(await fake.sendIpn(id, {}, { signature: '' })).toBe(401);
    expect(
      await fake.sendIpn(
        id,
        {},
        {
          mutateAfterSigning: (ipn) => {
            ipn.actually_paid = 1;
          },
        },
      ),
    ).toBe(401);
    expect(await fake.sendIpn(id, { payment_status: 'refunded' })).toBe(200);
    expect(await fake.sendIpn(id, {}, { order: 'documented' })).toBe(200);
    expect(received.at(-1)!.raw.startsWith('{"payment_id":')).toBe(true);
    expect(await fake.sendIpn(id)).toBe(200);
    expect(received.at(-1)!.raw).toBe(received.at(-3)!.raw.replace('"refunded"', '"finished"'));
  });
});

describe('fake NOWPayments fault modes', () => {
  test("'down' refuses connections until cleared, then serves again at the same URL", async () => {
    await fake.setFault('down');
    await expect(call('/v1/status')).rejects.toThrow();
    await fake.setFault(null);
    expect((await call('/v1/status')).status).toBe(200);
  });

  test("'slow' holds answers back past a client's timeout", async () => {
    await fake.setFault('slow', { delayMs: 400 });
    await expect(call('/v1/status', { signal: AbortSignal.timeout(50) })).rejects.toThrow();
    await fake.setFault(null);
    expect((await call('/v1/status', { signal: AbortSignal.timeout(1000) })).status).toBe(200);
  });

  test("'error500' answers 500 in the error envelope", async () => {
    await fake.setFault('error500');
    const response = await createPayment(PRICE);
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({ status: false, statusCode: 500 });
  });

  test("'rateLimited' answers 429 with Retry-After (or without, as production does)", async () => {
    await fake.setFault('rateLimited', { retryAfter: 7 });
    const limited = await createPayment(PRICE);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(await limited.text()).toContain('429 Too Many Requests');
    await fake.setFault('rateLimited', { retryAfter: null });
    expect((await call('/v1/status')).headers.get('retry-after')).toBeNull();
  });
});
