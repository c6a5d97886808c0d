import { describe, expect, test } from 'bun:test';
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import {
  canonicalIpnJson,
  signIpn,
  sortKeysDeep,
  verifyIpn,
} from '../../src/modules/payments/nowpayments/signature.ts';

const SECRET = 'test-ipn-secret-9f3b';

/** The payment IPN of NOWPayments' reference ("Webhooks Examples"), keys in its documented order. */
const DOC_IPN = {
  payment_id: 123456789,
  parent_payment_id: 987654321,
  invoice_id: null,
  payment_status: 'finished',
  pay_address: 'address',
  payin_extra_id: null,
  price_amount: 1,
  price_currency: 'usd',
  pay_amount: 15,
  actually_paid: 15,
  actually_paid_at_fiat: 0,
  pay_currency: 'trx',
  order_id: null,
  order_description: null,
  purchase_id: '123456789',
  outcome_amount: 14.8106,
  outcome_currency: 'trx',
  payment_extra_ids: null,
  fee: { currency: 'btc', depositFee: 0.09853637216235617, withdrawalFee: 0, serviceFee: 0 },
};

/** The same body written out by hand in the form NOWPayments signs: sorted at every depth. */
const DOC_IPN_SIGNED_FORM =
  '{"actually_paid":15,"actually_paid_at_fiat":0,' +
  '"fee":{"currency":"btc","depositFee":0.09853637216235617,"serviceFee":0,"withdrawalFee":0},' +
  '"invoice_id":null,"order_description":null,"order_id":null,"outcome_amount":14.8106,' +
  '"outcome_currency":"trx","parent_payment_id":987654321,"pay_address":"address","pay_amount":15,' +
  '"pay_currency":"trx","payin_extra_id":null,"payment_extra_ids":null,"payment_id":123456789,' +
  '"payment_status":"finished","price_amount":1,"price_currency":"usd","purchase_id":"123456789"}';

const hmacHex = (text: string, secret = SECRET) => createHmac('sha512', secret).update(text, 'utf8').digest('hex');

describe('IPN signature (x-nowpayments-sig)', () => {
  test('known vector: the documented IPN signs as HMAC-SHA512 over its deep-sorted JSON', () => {
    expect(canonicalIpnJson(DOC_IPN)).toBe(DOC_IPN_SIGNED_FORM);
    const expected = hmacHex(DOC_IPN_SIGNED_FORM);
    expect(signIpn(DOC_IPN, SECRET)).toBe(expected);
    expect(verifyIpn(JSON.stringify(DOC_IPN), expected, SECRET)).toEqual({ ok: true, body: DOC_IPN });
  });

  test('known vector: small amounts keep JavaScript number formatting (0.000083, 1e-7)', () => {
    const raw =
      '{"payment_id":4870885867,"payment_status":"partially_paid","actually_paid":13,' +
      '"fee":{"withdrawalFee":0,"serviceFee":0.000249,"depositFee":0.000083,"currency":"bnbbsc"},' +
      '"tiny":0.0000001}';
    const signedForm =
      '{"actually_paid":13,"fee":{"currency":"bnbbsc","depositFee":0.000083,"serviceFee":0.000249,' +
      '"withdrawalFee":0},"payment_id":4870885867,"payment_status":"partially_paid","tiny":1e-7}';
    const signature = hmacHex(signedForm);
    expect(verifyIpn(raw, signature, SECRET).ok).toBe(true);
    // What a Python-style re-serialisation would sign instead is not accepted.
    const pythonForm = signedForm.replace('0.000083', '8.3e-05').replace('1e-7', '1e-07');
    expect(verifyIpn(raw, hmacHex(pythonForm), SECRET)).toEqual({ ok: false, reason: 'signature mismatch' });
  });

  test('the nested fee object is sorted too, not only the top level', () => {
    const sorted = sortKeysDeep(DOC_IPN) as { fee: Record<string, unknown> };
    expect(Object.keys(sorted.fee)).toEqual(['currency', 'depositFee', 'serviceFee', 'withdrawalFee']);
    // The one-liner quoted in the reference, JSON.stringify(params, Object.keys(params).sort()),
    // empties `fee`: a signature made that way is not NOWPayments' and is refused.
    const topLevelOnly = JSON.stringify(DOC_IPN, Object.keys(DOC_IPN).sort());
    expect(topLevelOnly).toContain('"fee":{}');
    expect(verifyIpn(JSON.stringify(DOC_IPN), hmacHex(topLevelOnly), SECRET).ok).toBe(false);
  });

  test('arrays keep their order and their objects are sorted', () => {
    expect(JSON.stringify(sortKeysDeep({ b: [3, { z: 1, a: [{ y: 2, x: 1 }] }, 1], a: 'x' }))).toBe(
      '{"a":"x","b":[3,{"a":[{"x":1,"y":2}],"z":1},1]}',
    );
  });

  test('a body sorted but for one nested object, or with integer-like keys, signs as its sorted copy', () => {
    // What is already sorted is signed as it is; one unsorted object anywhere makes the sorted copy.
    const cases = [
      { a: 1, b: { d: 2, c: 1 } },
      { a: [{ y: 1, x: 2 }], b: 1 },
      { 10: 'x', 9: 'y', a: 1 },
      { '1': 1, '2': 2, a: { '10': 1, b: 2 } },
      { a: 1, b: [1, { c: 1, d: [{ f: 1, e: 2 }] }] },
    ];
    for (const body of cases) {
      expect(canonicalIpnJson(body)).toBe(JSON.stringify(sortKeysDeep(body)));
      const raw = JSON.stringify(body);
      expect(verifyIpn(raw, hmacHex(JSON.stringify(sortKeysDeep(JSON.parse(raw)))), SECRET).ok).toBe(true);
    }
    expect(canonicalIpnJson({ a: 1, b: { d: 2, c: 1 } })).toBe('{"a":1,"b":{"c":1,"d":2}}');
  });

  test('the same body with keys in another order verifies under the same signature', () => {
    const signature = signIpn(DOC_IPN, SECRET);
    const reordered = JSON.stringify({
      fee: { serviceFee: 0, withdrawalFee: 0, depositFee: 0.09853637216235617, currency: 'btc' },
      ...Object.fromEntries(
        Object.entries(DOC_IPN)
          .reverse()
          .filter(([key]) => key !== 'fee'),
      ),
    });
    expect(reordered).not.toBe(JSON.stringify(DOC_IPN));
    expect(verifyIpn(reordered, signature, SECRET).ok).toBe(true);
    // Whitespace in the raw body is not part of what is signed.
    expect(verifyIpn(JSON.stringify(DOC_IPN, null, 2), signature, SECRET).ok).toBe(true);
  });

  test('a signature made with another secret is rejected', () => {
    const signature = signIpn(DOC_IPN, 'another-secret');
    expect(verifyIpn(JSON.stringify(DOC_IPN), signature, SECRET)).toEqual({
      ok: false,
      reason: 'signature mismatch',
    });
  });

  test('a body changed after signing is rejected', () => {
    const signature = signIpn(DOC_IPN, SECRET);
    for (const change of [
      { payment_status: 'finished', actually_paid: 150 },
      { order_id: 'TBF-2611-ABCDEF' },
      { fee: { ...DOC_IPN.fee, serviceFee: 0.5 } },
      { extra: true },
    ]) {
      const raw = JSON.stringify({ ...DOC_IPN, ...change });
      expect(verifyIpn(raw, signature, SECRET).ok).toBe(false);
    }
    const { fee: _dropped, ...withoutFee } = DOC_IPN;
    expect(verifyIpn(JSON.stringify(withoutFee), signature, SECRET).ok).toBe(false);
  });

  test('a missing, empty, stripped or malformed header is rejected', () => {
    const raw = JSON.stringify(DOC_IPN);
    const signature = signIpn(DOC_IPN, SECRET);
    expect(verifyIpn(raw, undefined, SECRET)).toEqual({ ok: false, reason: 'missing x-nowpayments-sig header' });
    expect(verifyIpn(raw, null, SECRET).ok).toBe(false);
    expect(verifyIpn(raw, '', SECRET).ok).toBe(false);
    expect(verifyIpn(raw, '   ', SECRET).ok).toBe(false);
    // Shorter, longer, non-hex: a mismatch, never an exception from timingSafeEqual.
    for (const bad of [
      signature.slice(0, 64),
      `${signature}00`,
      signature.slice(0, -1),
      `${signature.slice(0, -1)}g`,
      'zz',
    ]) {
      const result = verifyIpn(raw, bad, SECRET);
      expect(result.ok).toBe(false);
    }
  });

  test('an unset IPN secret verifies nothing, not even a signature made with the empty key', () => {
    const raw = JSON.stringify(DOC_IPN);
    expect(verifyIpn(raw, hmacHex(DOC_IPN_SIGNED_FORM, ''), '')).toEqual({
      ok: false,
      reason: 'IPN secret is not configured',
    });
  });

  test('malformed or non-object bodies are rejected without throwing', () => {
    const signature = signIpn(DOC_IPN, SECRET);
    const garbage = ['', 'not json', '{"payment_id":1', '{"a":1}}', 'null', '42', '"text"', '[1,2]', '\u0000'];
    for (const raw of garbage) {
      const result = verifyIpn(raw, signature, SECRET);
      expect(result.ok).toBe(false);
    }
    expect(verifyIpn('not json', signature, SECRET)).toEqual({ ok: false, reason: 'body is not valid JSON' });
    expect(verifyIpn('[1,2]', signature, SECRET)).toEqual({ ok: false, reason: 'body is not a JSON object' });
    const deep = `{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    expect(() => verifyIpn(deep, signature, SECRET)).not.toThrow();
    expect(verifyIpn(deep, signature, SECRET).ok).toBe(false);
  });

  test('a __proto__ key stays data and is covered by the signature', () => {
    const raw = '{"payment_id":1,"__proto__":{"payment_status":"finished"}}';
    const signedForm = '{"__proto__":{"payment_status":"finished"},"payment_id":1}';
    const result = verifyIpn(raw, hmacHex(signedForm), SECRET);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.body.payment_status).toBeUndefined();
  });

  // Hex case carries no information (the same 64 bytes either way), NOWPayments' SDK decodes the
  // header with Buffer.from(sig, 'hex'), so an upper-cased header is accepted, not refused.
  test('an upper-case hex signature is accepted: it is the same bytes', () => {
    const signature = signIpn(DOC_IPN, SECRET);
    expect(signature).toMatch(/^[0-9a-f]{128}$/);
    expect(verifyIpn(JSON.stringify(DOC_IPN), signature.toUpperCase(), SECRET).ok).toBe(true);
    expect(verifyIpn(JSON.stringify(DOC_IPN), ` ${signature}\n`, SECRET).ok).toBe(true);
  });
});

/** Random JSON objects as an IPN body could be: nested objects, arrays, numbers of all sizes. */
const jsonObject = fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 12 });

function shuffledKeys(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return value.map((item) => shuffledKeys(item, seed + 1));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  // A deterministic permutation per seed: rotate, then reverse on odd seeds.
  const rotated = entries.map((_, i) => entries[(i + seed) % entries.length]!);
  const ordered = seed % 2 ? rotated.reverse() : rotated;
  return Object.fromEntries(ordered.map(([key, item]) => [key, shuffledKeys(item, seed + 1)]));
}

const HEX = '0123456789abcdef';

describe('IPN signature properties (fast-check)', () => {
  test('sign, then verify the body with its keys in another order: accepted, same body', () => {
    fc.assert(
      fc.property(jsonObject, fc.nat(50), fc.string({ minLength: 1 }), (body, seed, secret) => {
        const signature = signIpn(body, secret);
        const raw = JSON.stringify(shuffledKeys(body, seed));
        const result = verifyIpn(raw, signature, secret);
        expect(result.ok).toBe(true);
        if (result.ok) expect(canonicalIpnJson(result.body)).toBe(canonicalIpnJson(body));
      }),
      { numRuns: 300 },
    );
  });

  test('any single character of the signature changed to another value: rejected', () => {
    fc.assert(
      fc.property(
        jsonObject,
        fc.nat(127),
        fc.integer({ min: 1, max: 15 }),
        fc.boolean(),
        (body, position, delta, upper) => {
          const signature = signIpn(body, SECRET);
          const original = signature[position]!;
          let replacement = HEX[(HEX.indexOf(original) + delta) % 16]!;
          if (upper) replacement = replacement.toUpperCase();
          const forged = signature.slice(0, position) + replacement + signature.slice(position + 1);
          expect(verifyIpn(JSON.stringify(body), forged, SECRET).ok).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });

  test('any single character of the signature replaced by a non-hex character: rejected', () => {
    fc.assert(
      fc.property(
        jsonObject,
        fc.nat(127),
        fc.string({ minLength: 1, maxLength: 1 }).filter((c) => !/[0-9a-f]/i.test(c)),
        (body, position, replacement) => {
          const signature = signIpn(body, SECRET);
          const forged = signature.slice(0, position) + replacement + signature.slice(position + 1);
          expect(verifyIpn(JSON.stringify(body), forged, SECRET).ok).toBe(false);
        },
      ),
      { numRuns: 200 },
    );
  });

  test('verifyIpn never throws, whatever the body and header', () => {
    fc.assert(
      fc.property(fc.string(), fc.option(fc.string()), (raw, header) => {
        expect(() => verifyIpn(raw, header, SECRET)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
});
