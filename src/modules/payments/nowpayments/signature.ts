/**
 * The `x-nowpayments-sig` header of a NOWPayments IPN: hex HMAC-SHA512, keyed with the IPN
 * secret, over `JSON.stringify` of the body with its object keys sorted at every depth.
 *
 * Sources: NOWPayments' API reference (documenter.getpostman.com/view/7907941/2s93JusNJt,
 * "Instant Payments Notifications") signs `JSON.stringify(sortObject(params))` in Node.js;
 * their official SDK (github.com/NowPaymentsIO/nowpayments-sdk-nodejs, src/ipn.js) does the
 * same with `sortObjectDeep`, which keeps arrays as arrays and sorts the objects inside them,
 * like the PHP (`tksort` + `json_encode`) and Python (`sort_keys=True`) samples. The
 * one-liner also quoted in the reference, `JSON.stringify(params, Object.keys(params).sort())`,
 * lists only top-level keys and so drops the keys of the nested `fee` object: not what is signed.
 *
 * Serialisation trade-off. The signature covers a serialisation, not the bytes on the wire,
 * so we verify over `JSON.stringify(sortKeysDeep(JSON.parse(raw)))`, as NOWPayments' own
 * examples do. Its number formatting is JavaScript's, which is NOWPayments' own: 0.000083
 * stays `0.000083`, 1e-7 is written `1e-7`, 20.0 becomes `20`; a Python or Ruby
 * re-serialisation (`8.3e-05`, `0.0000001`) would reject genuine notifications. The price:
 * had NOWPayments signed raw bytes holding a number JavaScript never prints that way (`20.0`,
 * `1E-7`, an integer beyond 2^53), we would refuse that IPN - a refusal, never an accepted
 * forgery, and the reconcile job (`GET /v1/payment/{id}`) still finds the payment. A real
 * production IPN published as a fixture in a public Ruby client's spec arrives already
 * key-sorted, byte for byte equal to this re-serialisation, so both readings agree on it.
 */

/** A SHA-512 digest is 64 bytes: 128 hex characters. */
const SIGNATURE_HEX = /^[0-9a-f]{128}$/i;

/** A copy of `value` with the keys of every object, at every depth, in code-unit order. */
export function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (value === null || typeof value !== 'object') return value;
  const source = value as Record<string, unknown>;
  // fromEntries defines own properties, so a `__proto__` key stays data, never a prototype.
  return Object.fromEntries(
    Object.keys(source)
      .sort()
      .map((key) => [key, sortKeysDeep(source[key])]),
  );
}

/**
 * Whether every object in `value`, at every depth, already lists its keys in code-unit order.
 * Then `JSON.stringify(value)` is `JSON.stringify(sortKeysDeep(value))`: the copy would list
 * the same keys in the same order (integer-like keys, which JavaScript always lists first in
 * numeric order, are then first in code-unit order too).
 */
function isSortedDeep(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return true;
  if (Array.isArray(value)) return value.every(isSortedDeep);
  const source = value as Record<string, unknown>;
  let previous: string | undefined;
  for (const key in source) {
    if (!Object.hasOwn(source, key)) continue;
    if (previous !== undefined && !(previous < key)) return false;
    if (!isSortedDeep(source[key])) return false;
    previous = key;
  }
  return true;
}

/**
 * The string NOWPayments signs for `body`. NOWPayments sends its bodies already sorted, so the
 * sorted copy is only made when some object is not.
 */
export function canonicalIpnJson(body: unknown): string {
  return JSON.stringify(isSortedDeep(body) ? body : sortKeysDeep(body));
}

function digest(body: unknown, secret: string): Buffer {
  // Bun's native HMAC: the same bytes as node:crypto's createHmac, at a third less CPU.
  return new Bun.CryptoHasher('sha512', secret).update(canonicalIpnJson(body)).digest();
}

/** The `x-nowpayments-sig` value NOWPayments would send with `body` (lowercase hex). */
export function signIpn(body: unknown, secret: string): string {
  return digest(body, secret).toString('hex');
}

export type IpnVerification = { ok: true; body: Record<string, unknown> } | { ok: false; reason: string };

/**
 * Checks an IPN as received: the raw request body and the `x-nowpayments-sig` header.
 * Never throws. The header is decoded from hex and compared as bytes in constant time, so
 * hex case does not matter: `AB` and `ab` are the same byte, accepting both admits no other
 * signature, and it is what NOWPayments' SDK does (`Buffer.from(signature, 'hex')`).
 */
export function verifyIpn(rawBody: string, signature: string | null | undefined, secret: string): IpnVerification {
  if (!secret) return { ok: false, reason: 'IPN secret is not configured' };
  const given = typeof signature === 'string' ? signature.trim() : '';
  if (!given) return { ok: false, reason: 'missing x-nowpayments-sig header' };
  if (!SIGNATURE_HEX.test(given)) return { ok: false, reason: 'malformed x-nowpayments-sig header' };

  let parsed: unknown;
  try {
    parsed = JSON.parse(rawBody);
  } catch {
    return { ok: false, reason: 'body is not valid JSON' };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { ok: false, reason: 'body is not a JSON object' };
  }

  let expected: Buffer;
  try {
    expected = digest(parsed, secret);
  } catch {
    // Only a body nested deeper than the stack allows gets here: not something NOWPayments sends.
    return { ok: false, reason: 'body is nested too deeply' };
  }
  const received = Buffer.from(given, 'hex');
  const same = received.length === expected.length && crypto.timingSafeEqual(received, expected);
  if (!same) return { ok: false, reason: 'signature mismatch' };
  return { ok: true, body: parsed as Record<string, unknown> };
}
