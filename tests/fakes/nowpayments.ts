/**
 * A fake NOWPayments: a real HTTP server on 127.0.0.1 speaking the documented protocol, plus
 * plain methods that let a test play NOWPayments' side (move a payment, deliver its IPN).
 *
 * Protocol facts it follows, and where they come from:
 * - API reference: documenter.getpostman.com/view/7907941/2s93JusNJt. Production base URL
 *   https://api.nowpayments.io, sandbox https://api-sandbox.nowpayments.io, paths under /v1.
 *   Every call but `GET /v1/status` carries the key in the `x-api-key` header.
 * - `GET /v1/status` -> 200 `{ "message": "OK" }`. `GET /v1/currencies` -> `{ currencies: [...] }`.
 *   `GET /v1/min-amount?currency_from&currency_to` -> `{ currency_from, currency_to, min_amount }`
 *   (+ `fiat_equivalent` when asked). `GET /v1/estimate?amount&currency_from&currency_to` ->
 *   `{ currency_from, amount_from, currency_to, estimated_amount }`, amounts as JSON numbers.
 * - `POST /v1/payment`: `price_amount`, `price_currency`, `pay_currency` required; optional
 *   `pay_amount`, `ipn_callback_url`, `order_id`, `order_description`, `is_fixed_rate`,
 *   `is_fee_paid_by_user` (which forces fixed rate); amounts may come as numbers or numeric
 *   strings. 201 with `payment_id` as a STRING
 *   ("5745459419"), `payment_status: "waiting"`, `pay_address`, amounts as numbers with up to
 *   8 decimals, `purchase_id` string, `amount_received`, `payin_extra_id`, `smart_contract`,
 *   `network`, `network_precision`, `time_limit`, `burning_percent`, `expiration_estimate_date`,
 *   `is_fixed_rate`, `is_fee_paid_by_user`, `valid_until`, `type`.
 * - `GET /v1/payment/{id}`: the same payment with `payment_id` as a NUMBER (5524759814),
 *   `actually_paid`, `outcome_amount`, `outcome_currency`, `invoice_id`. The id type differs
 *   between the two answers in the reference itself; the product stores it as TEXT.
 * - Statuses: waiting, confirming, confirmed, sending, partially_paid, finished, failed,
 *   refunded, expired.
 * - IPN: POST to `ipn_callback_url`, header `x-nowpayments-sig` = hex HMAC-SHA512 (IPN secret)
 *   of JSON.stringify of the body sorted at every depth (reference + official SDK
 *   github.com/NowPaymentsIO/nowpayments-sdk-nodejs src/ipn.js). Body per the reference's
 *   "Webhooks Examples": payment_id (number), parent_payment_id, invoice_id, payment_status,
 *   pay_address, payin_extra_id, price_amount, price_currency, pay_amount, actually_paid,
 *   actually_paid_at_fiat, pay_currency, order_id, order_description, purchase_id (string),
 *   outcome_amount, outcome_currency, payment_extra_ids, fee { currency, depositFee,
 *   withdrawalFee, serviceFee }; a real production IPN (fixture in a public Ruby client's spec)
 *   also carries `updated_at` as epoch milliseconds and arrives with its keys already sorted,
 *   which is how this fake sends it. NOWPayments expects an answer within 3000 ms
 *   (nowpayments.zendesk.com "IPN and how to setup") and repeats on errors.
 * - Errors are JSON `{ status: false, statusCode, code, message }`, e.g. 400
 *   INVALID_REQUEST_PARAMS "Payment id must be a number" (github.com/PrevailExcel/
 *   laravel-nowpayments/issues/8), 400 AMOUNT_MINIMAL_ERROR "Crypto amount … is less than
 *   minimal", and 403 INVALID_API_KEY "Invalid api key" for a missing or wrong key (403, not
 *   401: github.com/oguenfoude/digitalkey SETUP_PAYMENTS.md and a measured report in a public
 *   integration's notes). Those notes also measured 429s as an nginx HTML page without
 *   Retry-After; this fake sends that page, with Retry-After unless `retryAfter: null`.
 * Assumed, not documented: the 404 for an unknown payment and the 500 body.
 */
import type { Server } from 'bun';
import { createHash } from 'node:crypto';
import type { Clock } from '../../src/lib/clock.ts';
import { signIpn, sortKeysDeep } from '../../src/modules/payments/nowpayments/signature.ts';

export type NowPaymentsStatus =
  | 'waiting'
  | 'confirming'
  | 'confirmed'
  | 'sending'
  | 'partially_paid'
  | 'finished'
  | 'failed'
  | 'refunded'
  | 'expired';
export type FakeFault = 'down' | 'slow' | 'error500' | 'rateLimited';

export interface IpnFee {
  currency: string;
  depositFee: number;
  withdrawalFee: number;
  serviceFee: number;
}

/** Everything the fake knows about a payment; the endpoints and IPNs show parts of it. */
export interface FakePayment {
  payment_id: number;
  purchase_id: string;
  invoice_id: number | null;
  parent_payment_id: number | null;
  payment_status: NowPaymentsStatus;
  pay_address: string;
  payin_extra_id: string | null;
  price_amount: number;
  price_currency: string;
  pay_amount: number;
  pay_currency: string;
  actually_paid: number;
  actually_paid_at_fiat: number;
  outcome_amount: number;
  outcome_currency: string;
  order_id: string | null;
  order_description: string | null;
  ipn_callback_url: string | null;
  is_fixed_rate: boolean;
  is_fee_paid_by_user: boolean;
  fee: IpnFee;
  payment_extra_ids: string[] | null;
  created_at: string;
  updated_at: string;
  expiration_estimate_date: string;
  valid_until: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: unknown;
}
export interface IpnDelivery {
  paymentId: number;
  url: string;
  body: string;
  signature: string | null;
  status: number;
}

export interface AdvanceOptions {
  actuallyPaid?: number;
  parentPaymentId?: number | string;
  fee?: Partial<IpnFee>;
  send?: boolean;
  /** POST the IPN here instead of the payment's ipn_callback_url (an app without PUBLIC_URL sends none). */
  url?: string;
}
export interface SendIpnOptions {
  /** Sign with this secret instead of the real one. */
  secret?: string;
  /** Send this header value as is; `null` sends no header at all. */
  signature?: string | null;
  /** Changes the payload after it was signed (a tampered body). */
  mutateAfterSigning?: (ipn: Record<string, unknown>) => void;
  /** 'sorted' (default) as production sends it, 'documented' in the reference's key order. */
  order?: 'sorted' | 'documented';
  /** POST here instead of the payment's ipn_callback_url (an app without PUBLIC_URL sends none). */
  url?: string;
}

export interface FakeNowPayments {
  /** Base URL like https://api.nowpayments.io: paths are `${url}/v1/...`. */
  readonly url: string;
  /** Copies of every payment created, in full. */
  payments(): FakePayment[];
  payment(id: number | string): FakePayment | undefined;
  /**
   * Moves a payment to `status` (amounts, fee and outcome follow) and, unless `send: false`
   * or it has no `ipn_callback_url`, POSTs its signed IPN there. Resolves to the HTTP status
   * the app answered, or null when nothing was sent; rejects if the app cannot be reached.
   */
  advance(id: number | string, status: NowPaymentsStatus, options?: AdvanceOptions): Promise<number | null>;
  /** Sends the payment's IPN as it stands now (a replay), changed by `overrides`, maybe forged. */
  sendIpn(id: number | string, overrides?: Record<string, unknown>, options?: SendIpnOptions): Promise<number>;
  /** The IPN body NOWPayments would send for the payment now, unsigned, in documented order. */
  ipnPayload(id: number | string): Record<string, unknown>;
  ipns(): IpnDelivery[];
  requests(): RecordedRequest[];
  /**
   * 'down': the port refuses connections (server stopped; any other mode or null brings it back
   * on the same port). 'slow': answers after `delayMs` (default 2000, real time). 'error500',
   * 'rateLimited' (429, Retry-After `retryAfter` seconds, default 1, null for none).
   */
  setFault(mode: FakeFault | null, options?: { delayMs?: number; retryAfter?: number | null }): Promise<void>;
  stop(): Promise<void>;
}

export interface FakeNowPaymentsOptions {
  apiKey: string;
  ipnSecret: string;
  clock?: Clock;
  /** Minimum payment per pay currency, in that currency (overrides the built-in table). */
  minAmounts?: Record<string, number>;
  /** Currency of the merchant's payout wallet; default: the one paid in. */
  outcomeCurrency?: string;
}

/** [USD price, pay_amount decimals, network, network_precision, minimum in coin, smart contract] */
type Coin = [number, number, string, number, number, string];
const COINS: Record<string, Coin> = {
  btc: [64_250.5, 8, 'btc', 8, 0.0000199, ''],
  eth: [3_150.25, 8, 'eth', 18, 0.00041, ''],
  usdttrc20: [1, 6, 'trx', 6, 9.2, 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t'],
  usdterc20: [1, 6, 'eth', 6, 22.5, '0xdAC17F958D2ee523a2206206994597C13D831ec7'],
  ltc: [72.4, 8, 'ltc', 8, 0.0141, ''],
  xmr: [158.3, 8, 'xmr', 12, 0.0068, ''],
  doge: [0.1245, 8, 'doge', 8, 8.1, ''],
  sol: [142.8, 8, 'sol', 9, 0.0072, ''],
  trx: [0.1189, 6, 'trx', 6, 9.1, ''],
  bnbbsc: [585.1, 8, 'bsc', 18, 0.0019, ''],
  xrp: [0.52, 6, 'xrp', 6, 2.1, ''],
  ton: [6.85, 8, 'ton', 9, 0.15, ''],
};
const FIAT: Record<string, number> = { usd: 1, eur: 1.08, gbp: 1.27 };
/** Coins that need a memo / destination tag: the reference names XRP, XLM, EOS, BNBMAINNET. */
const NEEDS_EXTRA_ID = new Set(['xrp']);
const STATUSES: readonly NowPaymentsStatus[] = [
  'waiting',
  'confirming',
  'confirmed',
  'sending',
  'partially_paid',
  'finished',
  'failed',
  'refunded',
  'expired',
];

const round = (value: number, decimals: number) => Number(value.toFixed(decimals));
const usdPrice = (currency: string) => FIAT[currency] ?? COINS[currency]?.[0];
const decimalsOf = (currency: string) => COINS[currency]?.[1] ?? 2;
const json = (body: unknown, status = 200) => Response.json(body, { status });
const apiError = (statusCode: number, code: string, message: string) =>
  json({ status: false, statusCode, code, message }, statusCode);
const badParams = (message: string) => apiError(400, 'INVALID_REQUEST_PARAMS', message);
const RATE_LIMIT_PAGE =
  '<html>\r\n<head><title>429 Too Many Requests</title></head>\r\n<body>\r\n<center><h1>429 Too Many Requests</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

/** A deterministic, realistic-looking deposit address for a payment. */
function addressFor(currency: string, seed: number): string {
  const bytes = createHash('sha512').update(`${currency}:${seed}`).digest();
  const pick = (alphabet: string, length: number) =>
    Array.from({ length }, (_, i) => alphabet[bytes[i % bytes.length]! % alphabet.length]).join('');
  const bech32 = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
  const base58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
  switch (COINS[currency]?.[2]) {
    case 'btc':
      return `bc1q${pick(bech32, 38)}`;
    case 'ltc':
      return `ltc1q${pick(bech32, 38)}`;
    case 'trx':
      return `T${pick(base58, 33)}`;
    case 'doge':
      return `D${pick(base58, 33)}`;
    case 'xmr':
      return `4${pick(base58, 94)}`;
    case 'sol':
      return pick(base58, 44);
    case 'xrp':
      return `r${pick(base58, 33)}`;
    case 'ton':
      return `UQ${pick('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_', 46)}`;
    default:
      return `0x${pick('0123456789abcdef', 40)}`;
  }
}

function convert(amount: number, from: string, to: string): number {
  return round((amount * usdPrice(from)!) / usdPrice(to)!, decimalsOf(to));
}

export function startFakeNowPayments(options: FakeNowPaymentsOptions): FakeNowPayments {
  const clock = options.clock ?? { now: () => Date.now() };
  const minimums = {
    ...Object.fromEntries(Object.entries(COINS).map(([c, coin]) => [c, coin[4]])),
    ...options.minAmounts,
  };
  const store = new Map<number, FakePayment>();
  const log: RecordedRequest[] = [];
  const delivered: IpnDelivery[] = [];
  let fault: { mode: FakeFault; delayMs: number; retryAfter: number | null } | null = null;
  let nextId = 5_745_459_419;
  const iso = (offsetMs = 0) => new Date(clock.now() + offsetMs).toISOString();

  const find = (id: number | string) => store.get(Number(id));
  const mustFind = (id: number | string) => {
    const found = find(id);
    if (!found) throw new Error(`fake NOWPayments: no payment ${id}`);
    return found;
  };

  function createPayment(body: Record<string, unknown>): Response {
    for (const field of ['price_amount', 'price_currency', 'pay_currency']) {
      if (body[field] === undefined || body[field] === null || body[field] === '')
        return badParams(`${field} is required`);
    }
    const price = Number(body.price_amount);
    if (!Number.isFinite(price) || price <= 0) return badParams('price_amount must be a positive number');
    const priceCurrency = String(body.price_currency).toLowerCase();
    const payCurrency = String(body.pay_currency).toLowerCase();
    if (usdPrice(priceCurrency) === undefined) return badParams(`Currency ${priceCurrency} is not supported`);
    if (!COINS[payCurrency]) return badParams(`Currency ${payCurrency} is not supported`);
    for (const field of ['order_id', 'order_description', 'ipn_callback_url']) {
      if (body[field] !== undefined && body[field] !== null && typeof body[field] !== 'string')
        return badParams(`${field} must be a string`);
    }
    const callback = (body.ipn_callback_url as string | undefined) ?? null;
    if (callback !== null && !/^https?:\/\/\S+$/.test(callback))
      return badParams('ipn_callback_url must be a valid uri');
    for (const field of ['is_fixed_rate', 'is_fee_paid_by_user']) {
      if (body[field] !== undefined && typeof body[field] !== 'boolean') return badParams(`${field} must be a boolean`);
    }
    const payAmount =
      body.pay_amount !== undefined
        ? round(Number(body.pay_amount), decimalsOf(payCurrency))
        : convert(price, priceCurrency, payCurrency);
    if (!Number.isFinite(payAmount) || payAmount <= 0) return badParams('pay_amount must be a positive number');
    if (payAmount < minimums[payCurrency]!)
      return apiError(400, 'AMOUNT_MINIMAL_ERROR', `Crypto amount ${payAmount} is less than minimal`);

    const id = nextId++;
    const feePaidByUser = body.is_fee_paid_by_user === true;
    const fixedRate = body.is_fixed_rate === true || feePaidByUser;
    const outcomeCurrency = options.outcomeCurrency ?? payCurrency;
    const payment: FakePayment = {
      payment_id: id,
      purchase_id: String(id + 91_663_260),
      invoice_id: null,
      parent_payment_id: null,
      payment_status: 'waiting',
      pay_address: addressFor(payCurrency, id),
      payin_extra_id: NEEDS_EXTRA_ID.has(payCurrency) ? String(1_000_000_000 + (id % 999_999_999)) : null,
      price_amount: price,
      price_currency: priceCurrency,
      pay_amount: payAmount,
      pay_currency: payCurrency,
      actually_paid: 0,
      actually_paid_at_fiat: 0,
      outcome_amount: round(convert(payAmount, payCurrency, outcomeCurrency) * 0.995, decimalsOf(outcomeCurrency)),
      outcome_currency: outcomeCurrency,
      order_id: (body.order_id as string | undefined) ?? null,
      order_description: (body.order_description as string | undefined) ?? null,
      ipn_callback_url: callback,
      is_fixed_rate: fixedRate,
      is_fee_paid_by_user: feePaidByUser,
      fee: { currency: outcomeCurrency, depositFee: 0, withdrawalFee: 0, serviceFee: 0 },
      payment_extra_ids: null,
      created_at: iso(),
      updated_at: iso(),
      expiration_estimate_date: iso(24 * 3600_000),
      valid_until: iso(fixedRate ? 20 * 60_000 : 7 * 24 * 3600_000),
    };
    store.set(id, payment);
    const coin = COINS[payCurrency]!;
    return json(
      {
        payment_id: String(id),
        payment_status: payment.payment_status,
        pay_address: payment.pay_address,
        price_amount: price,
        price_currency: priceCurrency,
        pay_amount: payAmount,
        amount_received: payment.outcome_amount,
        pay_currency: payCurrency,
        order_id: payment.order_id,
        order_description: payment.order_description,
        ipn_callback_url: callback,
        created_at: payment.created_at,
        updated_at: payment.updated_at,
        purchase_id: payment.purchase_id,
        smart_contract: coin[5],
        network: coin[2],
        network_precision: coin[3],
        time_limit: null,
        burning_percent: null,
        expiration_estimate_date: payment.expiration_estimate_date,
        is_fixed_rate: fixedRate,
        is_fee_paid_by_user: feePaidByUser,
        valid_until: payment.valid_until,
        type: 'crypto2crypto',
        payin_extra_id: payment.payin_extra_id,
      },
      201,
    );
  }

  const paymentStatusBody = (p: FakePayment) => ({
    payment_id: p.payment_id,
    invoice_id: p.invoice_id,
    payment_status: p.payment_status,
    pay_address: p.pay_address,
    payin_extra_id: p.payin_extra_id,
    price_amount: p.price_amount,
    price_currency: p.price_currency,
    pay_amount: p.pay_amount,
    actually_paid: p.actually_paid,
    pay_currency: p.pay_currency,
    order_id: p.order_id,
    order_description: p.order_description,
    purchase_id: p.purchase_id,
    created_at: p.created_at,
    updated_at: p.updated_at,
    outcome_amount: p.outcome_amount,
    outcome_currency: p.outcome_currency,
  });

  interface ApiCall {
    method: string;
    path: string;
    query: URLSearchParams;
    body: unknown;
    apiKey: string | null;
  }

  function api({ method, path, query, body, apiKey }: ApiCall): Response {
    if (method === 'GET' && path === '/v1/status') return json({ message: 'OK' });
    if (!path.startsWith('/v1/')) return apiError(404, 'NOT_FOUND', 'Not found');
    if (apiKey !== options.apiKey) return apiError(403, 'INVALID_API_KEY', 'Invalid api key');
    if (method === 'GET' && path === '/v1/currencies') {
      return json({ currencies: Object.keys(COINS) });
    }
    if (method === 'GET' && (path === '/v1/min-amount' || path === '/v1/estimate')) {
      const from = query.get('currency_from') ?? '';
      const to = query.get('currency_to') ?? (path === '/v1/min-amount' ? (options.outcomeCurrency ?? from) : '');
      for (const [name, value] of [
        ['currency_from', from],
        ['currency_to', to],
      ] as const) {
        if (!value) return badParams(`${name} is required`);
        if (!/^[a-z0-9]+$/i.test(value)) return badParams(`${name} must only contain alpha-numeric characters`);
        if (usdPrice(value.toLowerCase()) === undefined) return badParams(`Currency ${value} is not supported`);
      }
      const [f, t] = [from.toLowerCase(), to.toLowerCase()];
      if (path === '/v1/estimate') {
        const amount = Number(query.get('amount'));
        if (!query.get('amount') || !Number.isFinite(amount) || amount <= 0)
          return badParams('amount must be a positive number');
        return json({ currency_from: f, amount_from: amount, currency_to: t, estimated_amount: convert(amount, f, t) });
      }
      const coin = COINS[f] ? f : COINS[t] ? t : null;
      if (!coin) return badParams('At least one currency must be a cryptocurrency');
      const min = coin === f ? minimums[f]! : convert(minimums[t]!, t, f);
      const fiat = query.get('fiat_equivalent')?.toLowerCase();
      return json({
        currency_from: f,
        currency_to: t,
        min_amount: min,
        ...(fiat && FIAT[fiat] ? { fiat_equivalent: convert(min, f, fiat) } : {}),
      });
    }
    if (method === 'POST' && path === '/v1/payment') {
      if (body === null || typeof body !== 'object' || Array.isArray(body))
        return badParams('body must be a JSON object');
      return createPayment(body as Record<string, unknown>);
    }
    const match = /^\/v1\/payment\/([^/]+)$/.exec(path);
    if (method === 'GET' && match) {
      if (!/^\d+$/.test(match[1]!)) return badParams('Payment id must be a number');
      const found = find(match[1]!);
      return found ? json(paymentStatusBody(found)) : apiError(404, 'NOT_FOUND', 'Payment not found');
    }
    return apiError(404, 'NOT_FOUND', 'Not found');
  }

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const raw = await request.text();
    let body: unknown = raw === '' ? null : raw;
    try {
      body = raw === '' ? null : JSON.parse(raw);
    } catch {
      /* keep the raw text */
    }
    log.push({
      method: request.method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: Object.fromEntries(request.headers),
      body,
    });
    const current = fault;
    if (current?.mode === 'slow') await Bun.sleep(current.delayMs);
    if (current?.mode === 'error500') return apiError(500, 'INTERNAL_ERROR', 'Internal server error');
    if (current?.mode === 'rateLimited') {
      const headers: Record<string, string> = { 'content-type': 'text/html' };
      if (current.retryAfter !== null) headers['retry-after'] = String(current.retryAfter);
      return new Response(RATE_LIMIT_PAGE, { status: 429, headers });
    }
    if (typeof body === 'string') return badParams('body must be a JSON object');
    const apiKey = request.headers.get('x-api-key');
    return api({ method: request.method, path: url.pathname, query: url.searchParams, body, apiKey });
  }

  const listen = (port: number): Server<undefined> => Bun.serve({ hostname: '127.0.0.1', port, fetch: handle });
  let server: Server<undefined> | null = listen(0);
  const port = server.port!;

  function ipnPayload(id: number | string): Record<string, unknown> {
    const p = mustFind(id);
    return {
      payment_id: p.payment_id,
      parent_payment_id: p.parent_payment_id,
      invoice_id: p.invoice_id,
      payment_status: p.payment_status,
      pay_address: p.pay_address,
      payin_extra_id: p.payin_extra_id,
      price_amount: p.price_amount,
      price_currency: p.price_currency,
      pay_amount: p.pay_amount,
      actually_paid: p.actually_paid,
      actually_paid_at_fiat: p.actually_paid_at_fiat,
      pay_currency: p.pay_currency,
      order_id: p.order_id,
      order_description: p.order_description,
      purchase_id: p.purchase_id,
      outcome_amount: p.outcome_amount,
      outcome_currency: p.outcome_currency,
      payment_extra_ids: p.payment_extra_ids,
      fee: { ...p.fee },
      updated_at: Date.parse(p.updated_at),
    };
  }

  async function sendIpn(id: number | string, overrides: Record<string, unknown> = {}, opts: SendIpnOptions = {}) {
    const p = mustFind(id);
    const target = opts.url ?? p.ipn_callback_url;
    if (!target) throw new Error(`fake NOWPayments: payment ${id} has no ipn_callback_url`);
    const payload = { ...ipnPayload(id), ...overrides };
    const signature =
      opts.signature !== undefined ? opts.signature : signIpn(payload, opts.secret ?? options.ipnSecret);
    opts.mutateAfterSigning?.(payload);
    const body = JSON.stringify(opts.order === 'documented' ? payload : sortKeysDeep(payload));
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (signature !== null) headers['x-nowpayments-sig'] = signature;
    const response = await fetch(target, { method: 'POST', headers, body, signal: AbortSignal.timeout(3000) });
    await response.arrayBuffer();
    delivered.push({ paymentId: p.payment_id, url: target, body, signature, status: response.status });
    return response.status;
  }

  return {
    url: `http://127.0.0.1:${port}`,
    payments: () => [...store.values()].map((p) => structuredClone(p)),
    payment: (id) => {
      const found = find(id);
      return found && structuredClone(found);
    },
    ipnPayload,
    ipns: () => [...delivered],
    requests: () => [...log],
    sendIpn,
    async advance(id, status, opts = {}) {
      if (!STATUSES.includes(status)) throw new Error(`fake NOWPayments: unknown status ${status}`);
      const p = mustFind(id);
      const paidByDefault: Partial<Record<NowPaymentsStatus, number>> = {
        waiting: 0,
        confirming: p.pay_amount,
        confirmed: p.pay_amount,
        sending: p.pay_amount,
        finished: p.pay_amount,
        partially_paid: round(p.pay_amount / 2, decimalsOf(p.pay_currency)),
      };
      p.payment_status = status;
      p.actually_paid = opts.actuallyPaid ?? paidByDefault[status] ?? p.actually_paid;
      const received = p.actually_paid > 0 ? p.actually_paid : p.pay_amount;
      p.actually_paid_at_fiat = convert(p.actually_paid, p.pay_currency, p.price_currency);
      const gross = convert(received, p.pay_currency, p.outcome_currency);
      const decimals = decimalsOf(p.outcome_currency);
      p.fee = {
        currency: p.outcome_currency,
        depositFee: round(gross * 0.001, decimals),
        withdrawalFee: 0,
        serviceFee: round(gross * 0.005, decimals),
        ...opts.fee,
      };
      p.outcome_amount = round(gross - p.fee.depositFee - p.fee.serviceFee - p.fee.withdrawalFee, decimals);
      if (opts.parentPaymentId !== undefined) p.parent_payment_id = Number(opts.parentPaymentId);
      p.updated_at = iso();
      if (opts.send === false || !(opts.url ?? p.ipn_callback_url)) return null;
      return sendIpn(id, {}, { url: opts.url });
    },
    async setFault(mode, opts = {}) {
      if (mode === 'down') {
        fault = null;
        await server?.stop(true);
        server = null;
        return;
      }
      if (!server) server = listen(port);
      fault = mode && {
        mode,
        delayMs: opts.delayMs ?? 2000,
        retryAfter: opts.retryAfter === undefined ? 1 : opts.retryAfter,
      };
    },
    async stop() {
      await server?.stop(true);
      server = null;
    },
  };
}
