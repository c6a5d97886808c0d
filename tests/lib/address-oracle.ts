/**
 * Address encoders written from the specifications, independently of the code under test (no
 * @scure/base, no @noble/hashes): SHA-256 from node:crypto, Base58 through BigInt arithmetic,
 * bech32/bech32m from the BIP173 polymod with BIP350's constant. Tests make valid addresses with
 * them and check that src/lib/crypto-address.ts agrees.
 */
import { createHash } from 'node:crypto';

const B58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
export const BECH32_CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
export const BASE58_ALPHABET = B58;

export function base58(bytes: Uint8Array): string {
  let n = 0n;
  for (const b of bytes) n = n * 256n + BigInt(b);
  let out = '';
  while (n > 0n) {
    out = B58[Number(n % 58n)] + out;
    n /= 58n;
  }
  for (const b of bytes) {
    if (b !== 0) break;
    out = `1${out}`; // each leading zero byte is a leading '1'
  }
  return out;
}

const sha256 = (data: Uint8Array) => new Uint8Array(createHash('sha256').update(data).digest());

/** Base58Check of one version byte and a payload. */
export function base58check(version: number, payload: Uint8Array): string {
  const body = new Uint8Array([version, ...payload]);
  const checksum = sha256(sha256(body)).subarray(0, 4);
  return base58(new Uint8Array([...body, ...checksum]));
}

function polymod(values: number[]): number {
  const generator = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= generator[i]!;
  }
  return chk >>> 0;
}

const hrpExpand = (hrp: string) => [
  ...[...hrp].map((c) => c.charCodeAt(0) >> 5),
  0,
  ...[...hrp].map((c) => c.charCodeAt(0) & 31),
];

/** 8-bit bytes to 5-bit groups, zero-padded at the end. */
function toWords(bytes: Uint8Array): number[] {
  let acc = 0;
  let bits = 0;
  const out: number[] = [];
  for (const b of bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out.push((acc >> bits) & 31);
    }
  }
  if (bits > 0) out.push((acc << (5 - bits)) & 31);
  return out;
}

/** A segwit address: bech32 for witness version 0, bech32m (BIP350) for 1 to 16. */
export function segwit(
  hrp: string,
  version: number,
  program: Uint8Array,
  encoding = version === 0 ? 'bech32' : 'bech32m',
): string {
  const data = [version, ...toWords(program)];
  const constant = encoding === 'bech32' ? 1 : 0x2bc830a3;
  const mod = polymod([...hrpExpand(hrp), ...data, 0, 0, 0, 0, 0, 0]) ^ constant;
  const checksum = Array.from({ length: 6 }, (_, i) => (mod >>> (5 * (5 - i))) & 31);
  return `${hrp}1${[...data, ...checksum].map((w) => BECH32_CHARSET[w]).join('')}`;
}

/** Replaces the character at `index` by the one `step` places further in `alphabet`. */
export function substitute(text: string, index: number, alphabet: string, step = 7): string {
  const at = alphabet.indexOf(text[index]!);
  if (at < 0) throw new Error(`${text[index]} is not in the alphabet`);
  return text.slice(0, index) + alphabet[(at + step) % alphabet.length] + text.slice(index + 1);
}
