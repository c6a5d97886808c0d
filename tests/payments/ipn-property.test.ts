/**
 * Property: whatever JSON object NOWPayments signs, the IPN endpoint answers 200, stores it
 * (or recognises it as one already stored), and pays the order exactly when the body is a
 * well-formed `finished` for our payment, our order, our price and at least the amount due.
 * The oracle below is the test's own reading of that rule, in BigInt satoshis; it shares no
 * code with the app. Bodies start from a real payment's IPN with fields swapped for near
 * misses or arbitrary JSON, or are arbitrary objects outright.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import fc from 'fast-check';
import { signIpn } from '../../src/modules/payments/nowpayments/signature.ts';
import { buy, NP_SECRET, startShop, type Shop } from '../support/app.ts';
import { fromSats, toSats } from '../support/sats.ts';
import { NOWPAYMENTS_STATUSES } from '../../src/modules/payments/nowpayments/ipn.ts';

let shop: Shop;
beforeAll(async () => void (shop = await startShop()));
afterAll(() => shop?.stop());

/** The payment a body is about, known only once the run has bought it. */
interface Mine {
  id: number;
  orderId: string;
  otherOrderId: string;
  /** A payment id the app has not seen, new in every run. */
  unknownId: number;
  /** The amount due, in satoshis. */
  due: bigint;
  base: Record<string, unknown>;
}
/** What one field becomes: kept, gone, null, a near miss for this payment, or any JSON. */
type Choice = { keep: true } | { absent: true } | { value: unknown } | { near: (mine: Mine) => unknown };

const near = (...values: ((mine: Mine) => unknown)[]) => fc.constantFrom(...values).map((f): Choice => ({ near: f }));
const sats = (s: bigint) => (s < 0n ? -1 : fromSats(s));
const choice = (nearMisses: fc.Arbitrary<Choice>): fc.Arbitrary<Choice> =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constant({ keep: true as const }) },
    { weight: 1, arbitrary: fc.constantFrom<Choice>({ absent: true }, { value: null }) },
    { weight: 3, arbitrary: nearMisses },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }).map((value): Choice => ({ value })) },
  );
const values = (...list: unknown[]) => fc.constantFrom(...list).map((value): Choice => ({ value }));

const fields = {
  payment_id: choice(
    fc.oneof(
      near(
        (m) => String(m.id),
        (m) => `${m.id}.0`,
        (m) => -m.id,
        (m) => m.unknownId,
        (m) => String(m.unknownId),
      ),
      values({}, 'null'),
    ),
  ),
  parent_payment_id: choice(
    fc.oneof(
      near(
        (m) => m.id,
        (m) => m.unknownId,
      ),
      values('x'),
    ),
  ),
  payment_status: choice(values(...NOWPAYMENTS_STATUSES, 'teleported', 'FINISHED')),
  order_id: choice(
    fc.oneof(
      near((m) => m.otherOrderId),
      values('ORD-0000-NOSUCH00', 42),
    ),
  ),
  price_amount: choice(values(49, '49.00', '49', '0049.0', 48.99, 49.01, 0.01, '4.9e1', '4.9e1x', -49, 'abc')),
  price_currency: choice(values('usd', 'USD', 'eur', '', 840)),
  pay_amount: choice(
    near(
      (m) => Number(sats(m.due - 1n)),
      (m) => sats(m.due + 1n),
      () => 0,
    ),
  ),
  actually_paid: choice(
    fc.oneof(
      near(
        (m) => sats(m.due),
        (m) => Number(sats(m.due - 1n)),
        (m) => sats(m.due - 1n),
        (m) => Number(sats(m.due + 1n)),
        (m) => sats(m.due * 2n),
        (m) => `${sats(m.due)}000`,
      ),
      values(1e-8, '1e-8', 0, 'abc', -1, '', 1e300, `0.${'0'.repeat(40)}1`),
    ),
  ),
  pay_currency: choice(values('btc', 'BTC', 'ltc', '', 1)),
  pay_address: choice(values(null, 12, 'x'.repeat(101))),
};
const recipe = fc.record(fields);
/** Keys NOWPayments does not send, with any JSON; sometimes the whole body is only that. */
const extra = fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 });
/** The recipe changes one or two fields (so that many bodies still pay) or all of them. */
const bodyPlan = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      fields: recipe,
      only: fc.subarray(Object.keys(fields), { minLength: 1, maxLength: 2 }),
      extra,
    }),
  },
  { weight: 2, arbitrary: fc.record({ fields: recipe, only: fc.constant(null), extra }) },
  { weight: 1, arbitrary: fc.record({ fields: fc.constant(null), only: fc.constant(null), extra }) },
);

interface Plan {
  fields: Record<string, Choice> | null;
  only: string[] | null;
  extra: Record<string, unknown>;
}

/** Run first, so that every outcome is reached whatever the seed. */
const plan = (fields: Record<string, Choice>): [Plan] => [{ fields, only: null, extra: {} }];
const EXAMPLES: [Plan][] = [
  plan({}),
  plan({ payment_id: { near: (m) => m.unknownId } }),
  plan({ payment_id: { near: (m) => m.unknownId }, order_id: { absent: true } }),
  plan({ parent_payment_id: { near: (m) => m.id } }),
  plan({ order_id: { near: (m) => m.otherOrderId } }),
  plan({ actually_paid: { near: (m) => sats(m.due - 1n) } }),
  plan({ price_currency: { value: 'eur' } }),
  plan({ actually_paid: { value: 'abc' } }),
  plan({ payment_status: { absent: true } }),
  plan({ payment_id: { value: null } }),
  [{ fields: null, only: null, extra: { '': [] } }],
];

function materialise({ fields, only: changed, extra: more }: Plan, mine: Mine) {
  if (!fields) return more;
  const out: Record<string, unknown> = { ...more, ...mine.base };
  for (const [key, made] of Object.entries(fields)) {
    if (changed && !changed.includes(key)) continue;
    if ('absent' in made) delete out[key];
    else if ('value' in made) out[key] = made.value;
    else if ('near' in made) out[key] = made.near(mine);
  }
  return out;
}

const given = (b: Record<string, unknown>, key: string) => Object.hasOwn(b, key) && b[key] !== null;
const isText = (value: unknown) => typeof value === 'string' && value.length <= 100;
const SCALE = 30;
/**
 * The amount rule, written independently of the app: a non-negative JSON number (as
 * JavaScript prints it) or numeric string of at most 100 characters, at most 30 digits on
 * either side of the point. In units of 10^-30, or null when it is not an amount.
 */
function units(value: unknown): bigint | null {
  const text = typeof value === 'number' ? (Number.isFinite(value) && value >= 0 ? String(value) : null) : value;
  if (typeof text !== 'string' || text.length > 100) return null;
  const match = /^(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!match) return null;
  const digits = match[1]! + (match[2] ?? '');
  // Where the point goes in `digits` once the exponent is applied.
  const point = match[1]!.length + Number(match[3] ?? 0);
  if (!/[1-9]/.test(digits)) return 0n;
  const whole = (point <= 0 ? '0' : digits.slice(0, point).padEnd(point, '0')).replace(/^0+/, '');
  const fraction = (point < 0 ? '0'.repeat(-point) + digits : digits.slice(point)).replace(/0+$/, '');
  if (whole.length > SCALE || fraction.length > SCALE) return null;
  return BigInt(whole || '0') * 10n ** BigInt(SCALE) + BigInt(fraction.padEnd(SCALE, '0') || '0');
}

/** A payment id as the rule reads one: a safe non-negative integer, or up to 20 digits. */
const idOf = (value: unknown) =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
    ? String(value)
    : typeof value === 'string' && /^\d{1,20}$/.test(value)
      ? value
      : null;

/**
 * The rule, read independently: does this body prove that our order is paid? Either it is
 * about our payment, or about a payment the app has never seen that names our order (a
 * creation whose answer was lost: adopted, then checked against its own amount and coin).
 */
function pays(b: Record<string, unknown>, mine: Mine, known: (id: string) => boolean): boolean {
  const amountsWellFormed = ['pay_amount', 'actually_paid', 'price_amount'].every(
    (k) => !given(b, k) || units(b[k]) !== null,
  );
  const textsWellFormed = ['order_id', 'pay_address', 'price_currency', 'pay_currency'].every(
    (k) => !given(b, k) || isText(b[k]),
  );
  const id = idOf(b.payment_id);
  const ours = id === String(mine.id);
  const adopted = id !== null && !ours && !known(id) && b.order_id === mine.orderId;
  const due = ours
    ? mine.due * 10n ** BigInt(SCALE - 8)
    : adopted && given(b, 'pay_amount')
      ? units(b.pay_amount)
      : null;
  const paid = units(b.actually_paid);
  return (
    amountsWellFormed &&
    textsWellFormed &&
    b.payment_status === 'finished' &&
    !given(b, 'parent_payment_id') &&
    (!given(b, 'order_id') || b.order_id === mine.orderId) &&
    units(b.price_amount) === units('49') &&
    typeof b.price_currency === 'string' &&
    b.price_currency.toLowerCase() === 'usd' &&
    typeof b.pay_currency === 'string' &&
    (adopted || b.pay_currency.toLowerCase() === 'btc') &&
    due !== null &&
    paid !== null &&
    paid >= due
  );
}

const knownPayment = (id: string) =>
  shop.app.store.sqlite.query('SELECT 1 FROM payments WHERE provider_payment_id = ?').get(id) !== null;

async function post(payload: Record<string, unknown>) {
  const text = JSON.stringify(payload);
  const response = await fetch(`${shop.url}/api/ipn/nowpayments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-nowpayments-sig': signIpn(JSON.parse(text), NP_SECRET) },
    body: text,
  });
  return { status: response.status, text, answer: (await response.json()) as { outcome: string | null } };
}

const lastEvent = () =>
  shop.app.store.sqlite.query('SELECT raw, flag FROM payment_events ORDER BY id DESC LIMIT 1').get() as {
    raw: string;
    flag: string | null;
  };

describe('any signed IPN', () => {
  test('property: 200, stored, and pays the order only when it is a well-formed matching finished', async () => {
    let n = 0;
    const outcomes: Record<string, number> = {};
    // Another order no NOWPayments payment can be adopted into (Stars), so it must never move.
    const { app } = shop;
    const { order: other } = app.orders.create({
      buyerId: app.users.upsertEmail('other-buyer@example.com').id,
      productId: shop.productId,
      method: 'stars',
    });
    await fc.assert(
      fc.asyncProperty(bodyPlan, async (plan) => {
        const payment = await buy(shop, { email: `buyer-${n++}@example.com` });
        // What NOWPayments would send once paid in full; the recipe changes it from there.
        await shop.provider.advance(payment.payment_id, 'finished', { send: false });
        const base = shop.provider.ipnPayload(payment.payment_id);
        const mine: Mine = {
          id: base.payment_id as number,
          orderId: payment.order_id,
          otherOrderId: other.id,
          unknownId: 9_300_000_000 + n,
          due: toSats(payment.pay_amount),
          base,
        };
        const candidate = materialise(plan, mine);
        const events = shop.count('payment_events');
        const deliveries = shop.deliverJobs();
        const expected = pays(JSON.parse(JSON.stringify(candidate)), mine, knownPayment);

        const { status, text, answer } = await post(candidate);
        expect(status).toBe(200);
        if (answer.outcome === 'duplicate') {
          expect(shop.count('payment_events')).toBe(events);
        } else {
          expect(shop.count('payment_events')).toBe(events + 1);
          expect(lastEvent().raw).toBe(text);
        }
        expect(shop.orderStatus(payment.order_id) === 'paid').toBe(expected);
        if (!expected && candidate.payment_status === 'finished' && answer.outcome !== 'duplicate') {
          expect(lastEvent().flag).not.toBeNull();
        }
        expect(shop.orderStatus(other.id)).toBe('awaiting_payment');
        expect(shop.deliverJobs() - deliveries).toBe(expected ? 1 : 0);
        outcomes[answer.outcome ?? 'null'] = (outcomes[answer.outcome ?? 'null'] ?? 0) + 1;
      }),
      { numRuns: 200, examples: EXAMPLES },
    );
    // The runs reach both sides of the rule, and every kind of flag.
    expect(outcomes.applied).toBeGreaterThan(5);
    for (const flag of ['malformed', 'amount_mismatch', 'order_mismatch', 'unknown_payment', 'repeated_deposit']) {
      expect(outcomes[flag] ?? 0).toBeGreaterThan(0);
    }
  }, 60_000);

  test('property: a signed body that is not a JSON object gets 401 and stores nothing', async () => {
    const events = shop.count('payment_events');
    await fc.assert(
      fc.asyncProperty(
        fc.jsonValue().filter((v) => v === null || typeof v !== 'object' || Array.isArray(v)),
        async (value) => {
          const text = JSON.stringify(value);
          const response = await fetch(`${shop.url}/api/ipn/nowpayments`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-nowpayments-sig': signIpn(value, NP_SECRET) },
            body: text,
          });
          expect(response.status).toBe(401);
        },
      ),
      { numRuns: 30 },
    );
    expect(shop.count('payment_events')).toBe(events);
  });
});
