/**
 * Checks a pasted crypto address or transaction hash against the rules of its network, checksums
 * included, so a typo is caught before money is sent to it.
 *
 * - BTC, LTC: Base58Check (version byte + 20-byte hash + 4 bytes of double SHA-256) or native
 *   segwit: bech32 for witness version 0 (20 or 32 bytes), bech32m for versions 1 to 16 (2 to
 *   40 bytes), per BIP173/BIP350. BIP350 asks senders to accept every version from 1 up, so
 *   future segwit versions are accepted, not only taproot.
 * - ETH (and ERC-20 tokens such as USDT on Ethereum): 0x + 40 hex; a mixed-case address carries
 *   an EIP-55 checksum (keccak-256 of the lower-case hex), which must match.
 * - TRON (and TRC-20 USDT): Base58Check of 21 bytes starting with 0x41.
 * - SOL: Base58 of a 32-byte public key. Solana addresses carry no checksum: only the alphabet
 *   and the decoded length can be checked, and a one-character typo still passes.
 *
 * Why @scure/base + @noble/hashes rather than a "multicoin validator" package: on 47 cases
 * (real and generated addresses of every kind above, each with one character changed, case
 * flips, cross-network and BIP350 checksum cases) these checks scored 47/47,
 * multicoin-address-validator 0.5.26 46/47 (it took 43 '1's, 43 zero bytes, for a Solana
 * address: it only checks the length), @swyftx/api-crypto-address-validator 37, wallet-address-
 * validator 32, crypto-address-validator 19 (no bech32m, no TRON or SOL). The two libraries are
 * audited, dependency-free and small; the rules above are a few lines each.
 */
import { base58, bech32, bech32m } from '@scure/base';
import { sha256 } from '@noble/hashes/sha2.js';
import { keccak_256 } from '@noble/hashes/sha3.js';

export const NETWORKS = ['BTC', 'LTC', 'ETH', 'TRON', 'SOL'] as const;
export type Network = (typeof NETWORKS)[number];

/**
 * `reason`: 'format' (not an address of this kind: characters, length, structure), 'checksum'
 * (the right shape with a typo in it), 'network' (a valid address of another network or of a
 * test network, e.g. a Bitcoin testnet or a Litecoin address given as Bitcoin).
 */
export type AddressCheck = { ok: true; address: string } | { ok: false; reason: 'format' | 'checksum' | 'network' };

interface UtxoRules {
  /** Base58Check version bytes of mainnet addresses: P2PKH, then P2SH. */
  versions: number[];
  hrp: string;
}
const UTXO: Record<'BTC' | 'LTC', UtxoRules> = {
  BTC: { versions: [0x00, 0x05], hrp: 'bc' },
  // L... (0x30) and M... (0x32); Litecoin Core still accepts its former P2SH prefix 3... (0x05).
  LTC: { versions: [0x30, 0x32, 0x05], hrp: 'ltc' },
};
/** Segwit prefixes of mainnets, testnets and regtests: a match that is not ours is another network. */
const KNOWN_HRPS = new Set(['bc', 'tb', 'bcrt', 'ltc', 'tltc', 'rltc']);
const TRON_VERSION = 0x41;
const BASE58 = /^[1-9A-HJ-NP-Za-km-z]+$/;
/** Longer input is no address of these networks; the cap also bounds Base58 decoding (quadratic). */
const MAX_LENGTH = 100;

const fail = (reason: 'format' | 'checksum' | 'network'): AddressCheck => ({ ok: false, reason });

export function checkAddress(network: Network, input: string): AddressCheck {
  const text = input.trim();
  if (text.length === 0 || text.length > MAX_LENGTH) return fail('format');
  switch (network) {
    case 'BTC':
    case 'LTC':
      return checkUtxo(UTXO[network], text);
    case 'TRON':
      return checkBase58Check([TRON_VERSION], text);
    case 'ETH':
      return checkEthereum(text);
    case 'SOL':
      return decodeBase58(text)?.length === 32 ? { ok: true, address: text } : fail('format');
  }
}

export const isValidAddress = (network: Network, input: string): boolean => checkAddress(network, input).ok;

function decodeBase58(text: string): Uint8Array | null {
  if (!BASE58.test(text)) return null;
  try {
    return base58.decode(text);
  } catch {
    return null;
  }
}

function checkBase58Check(versions: number[], text: string): AddressCheck {
  const bytes = decodeBase58(text);
  // version (1) + hash (20) + checksum (4)
  if (bytes?.length !== 25) return fail('format');
  const payload = bytes.subarray(0, 21);
  const checksum = sha256(sha256(payload)).subarray(0, 4);
  if (!checksum.every((b, i) => b === bytes[21 + i])) return fail('checksum');
  return versions.includes(payload[0]!) ? { ok: true, address: text } : fail('network');
}

/**
 * Segwit when it starts like one (an hrp and '1'), else Base58Check. "LTC1..." starts both ways:
 * some Litecoin Base58 addresses (version 0x30, 'L') begin with those four characters, so a
 * failed segwit reading of a Base58 text gets the Base58 reading too.
 */
function checkUtxo({ versions, hrp }: UtxoRules, text: string): AddressCheck {
  if (!looksLikeSegwit(text)) return checkBase58Check(versions, text);
  const segwit = checkSegwit(hrp, text);
  if (segwit.ok || !BASE58.test(text)) return segwit;
  const base58 = checkBase58Check(versions, text);
  return base58.ok ? base58 : segwit;
}

function looksLikeSegwit(text: string): boolean {
  const separator = text.lastIndexOf('1');
  return separator > 0 && KNOWN_HRPS.has(text.slice(0, separator).toLowerCase());
}

function checkSegwit(hrp: string, text: string): AddressCheck {
  // Either case is valid, never both (BIP173); the lower-case form is the one kept.
  const lower = text.toLowerCase();
  if (text !== lower && text !== text.toUpperCase()) return fail('format');
  const decoded = decodeSegwit(lower as `${string}1${string}`);
  if (decoded === 'checksum' || decoded === 'format') return fail(decoded);
  if (decoded.prefix !== hrp) return fail('network');
  return { ok: true, address: lower };
}

/** Witness version 0 must use bech32 and versions 1-16 bech32m: the wrong one is a checksum error (BIP350). */
function decodeSegwit(text: `${string}1${string}`): { prefix: string } | 'checksum' | 'format' {
  for (const [codec, forVersionZero] of [
    [bech32, true],
    [bech32m, false],
  ] as const) {
    let words: number[];
    let prefix: string;
    try {
      ({ prefix, words } = codec.decode(text, 90));
    } catch {
      continue;
    }
    const version = words[0];
    if (version === undefined || version > 16) return 'format';
    if ((version === 0) !== forVersionZero) return 'checksum';
    let program: Uint8Array;
    try {
      program = codec.fromWords(words.slice(1)); // refuses padding of more than 4 bits, or not zero
    } catch {
      return 'format';
    }
    if (program.length < 2 || program.length > 40) return 'format';
    if (version === 0 && program.length !== 20 && program.length !== 32) return 'format';
    return { prefix };
  }
  return 'checksum';
}

/** The EIP-55 form of a 40-hex-digit address body: letters upper-cased where the hash nibble is >= 8. */
export function eip55(hex40: string): string {
  const lower = hex40.toLowerCase();
  const hash = keccak_256(new TextEncoder().encode(lower));
  let out = '0x';
  for (let i = 0; i < lower.length; i++) {
    const nibble = (hash[i >> 1]! >> (i % 2 === 0 ? 4 : 0)) & 0x0f;
    out += nibble >= 8 ? lower[i]!.toUpperCase() : lower[i]!;
  }
  return out;
}

function checkEthereum(text: string): AddressCheck {
  if (!/^0x[0-9a-fA-F]{40}$/.test(text)) return fail('format');
  const body = text.slice(2);
  const checksummed = eip55(body);
  // All one case carries no checksum (older wallets, exchanges); mixed case must be EIP-55.
  const hasChecksum = body !== body.toLowerCase() && body !== body.toUpperCase();
  if (hasChecksum && checksummed !== text) return fail('checksum');
  return { ok: true, address: checksummed };
}

/**
 * The normalised transaction hash (id) of a network, or null when the text cannot be one:
 * BTC, LTC and TRON 64 hex digits; ETH 0x + 64 hex digits; SOL a Base58 64-byte signature.
 * Only the format can be checked here; whether the transaction exists is for an explorer.
 */
export function parseTxHash(network: Network, input: string): string | null {
  const text = input.trim();
  switch (network) {
    case 'BTC':
    case 'LTC':
    case 'TRON':
      return /^[0-9a-fA-F]{64}$/.test(text) ? text.toLowerCase() : null;
    case 'ETH':
      return /^0x[0-9a-fA-F]{64}$/.test(text) ? text.toLowerCase() : null;
    case 'SOL':
      return text.length <= 90 && decodeBase58(text)?.length === 64 ? text : null;
  }
}
