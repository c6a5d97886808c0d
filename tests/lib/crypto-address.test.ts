import { describe, expect, test } from 'bun:test';
import fc from 'fast-check';
import { checkAddress, isValidAddress, parseTxHash, type Network } from '../../src/lib/crypto-address.ts';
import { BASE58_ALPHABET, BECH32_CHARSET, base58, base58check, segwit, substitute } from './address-oracle.ts';

const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });
const HEX = '0123456789abcdef';

describe('known real addresses', () => {
  const valid: Array<[Network, string, string?]> = [
    ['BTC', '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa'], // the genesis block's coinbase
    ['BTC', '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy'],
    ['BTC', 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq'],
    // BIP350's valid mainnet vectors: v0 (upper case), v1 40 bytes, v16 2 bytes, v2 16 bytes, taproot
    ['BTC', 'BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4', 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4'],
    ['BTC', 'bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y'],
    ['BTC', 'BC1SW50QGDZ25J', 'bc1sw50qgdz25j'],
    ['BTC', 'bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs'],
    ['BTC', 'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0'],
    // EIP-55's own vectors, then all-caps and all-lower ones (no checksum) normalised to EIP-55
    ['ETH', '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed'],
    ['ETH', '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359'],
    ['ETH', '0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB'],
    ['ETH', '0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb'],
    ['ETH', '0xdAC17F958D2ee523a2206206994597C13D831ec7'], // USDT's ERC-20 contract
    ['ETH', '0x5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED', '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed'],
    ['ETH', '0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359', '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359'],
    ['TRON', 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t'], // USDT's TRC-20 contract
    ['SOL', 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v'], // USDC mint
    ['SOL', 'TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA'], // SPL token program
    ['SOL', '11111111111111111111111111111111'], // system program: 32 zero bytes
  ];
  // Three-element rows: with two, bun:test would pass its `done` callback as the third argument.
  const rows = valid.map(([network, address, normalised]) => [network, address, normalised ?? address] as const);
  test.each(rows)('%s %s is valid', (network, address, normalised) => {
    expect(checkAddress(network, address)).toEqual({ ok: true, address: normalised });
  });

  test('surrounding spaces and line breaks from a paste are ignored', () => {
    expect(checkAddress('TRON', '  TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t\n')).toEqual({
      ok: true,
      address: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t',
    });
  });

  test("BIP350's invalid mainnet addresses are refused", () => {
    const invalid: Array<[string, 'format' | 'checksum']> = [
      ['bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd', 'checksum'], // bech32 for v1
      ['BC1S0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ54WELL', 'checksum'], // bech32 for v16
      ['bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh', 'checksum'], // bech32m for v0
      ['bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4', 'checksum'], // 'o' in the checksum
      ['BC130XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ7ZWS8R', 'format'], // version 17
      ['bc1pw5dgrnzv', 'format'], // 1-byte program
      ['bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v8n0nx0muaewav253zgeav', 'format'], // 41 bytes
      ['BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P', 'format'], // v0 of 16 bytes
      ['bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v07qwwzcrf', 'format'], // padding over 4 bits
      ['bc1gmk9yu', 'format'], // no data
    ];
    for (const [address, reason] of invalid)
      expect([address, checkAddress('BTC', address)]).toEqual([address, { ok: false, reason }]);
    // Test networks: valid addresses, of another network.
    for (const address of [
      'tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7',
      'tb1pqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesf3hn0c',
    ]) {
      expect(checkAddress('BTC', address)).toEqual({ ok: false, reason: 'network' });
    }
  });

  test('a letter of an EIP-55 address in the wrong case, or a changed digit, fails its checksum', () => {
    const address = '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed';
    for (let i = 2; i < address.length; i++) {
      const c = address[i]!;
      const flipped = c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase();
      if (flipped !== c)
        expect(checkAddress('ETH', address.slice(0, i) + flipped + address.slice(i + 1))).toEqual({
          ok: false,
          reason: 'checksum',
        });
    }
    expect(isValidAddress('ETH', '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe3')).toBe(false);
  });

  test('wrong shapes are refused as format errors', () => {
    const cases: Array<[Network, string]> = [
      ['ETH', '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe'], // 39 hex digits
      ['ETH', '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed0'], // 41
      ['ETH', '5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed'], // no 0x
      ['ETH', '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeg'],
      ['BTC', 'bc1P0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0'], // mixed case
      ['BTC', '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed'],
      ['TRON', '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed'],
      ['SOL', '1'.repeat(43)], // 43 zero bytes: the case multicoin-address-validator accepted
      ['SOL', 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1vO'], // 'O' is not Base58
      ['SOL', ''],
      ['BTC', '   '],
      ['TRON', 'T'.repeat(500)],
    ];
    for (const [network, address] of cases)
      expect([network, address, checkAddress(network, address)]).toEqual([
        network,
        address,
        { ok: false, reason: 'format' },
      ]);
  });

  test('a Litecoin Base58 address that begins "LTC1" (as a bech32 one would) is read as Base58', () => {
    // Found by the property test below: version 0x30 and this hash give LTC12iWt...
    const address = base58check(
      0x30,
      Uint8Array.from([87, 98, 124, 0, 0, 0, 6, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 3, 0, 0]),
    );
    expect(address.startsWith('LTC1')).toBe(true);
    expect(checkAddress('LTC', address)).toEqual({ ok: true, address });
    expect(checkAddress('LTC', substitute(address, 20, BASE58_ALPHABET, 1)).ok).toBe(false);
    expect(checkAddress('LTC', 'ltc1qg82lnx8ncxwlsazrf5k0qhmyrqgkd6ggr4l8tv').ok).toBe(false);
  });

  test('an address of one network is refused for another', () => {
    expect(checkAddress('TRON', '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa')).toEqual({ ok: false, reason: 'network' });
    expect(checkAddress('BTC', 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t')).toEqual({ ok: false, reason: 'network' });
    expect(checkAddress('LTC', 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq')).toEqual({ ok: false, reason: 'network' });
    expect(checkAddress('LTC', '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa')).toEqual({ ok: false, reason: 'network' });
    expect(isValidAddress('SOL', '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed')).toBe(false);
  });
});

describe('addresses made by an independent encoder', () => {
  const base58Cases: Array<[Network, number, string]> = [
    ['BTC', 0x00, 'P2PKH 1...'],
    ['BTC', 0x05, 'P2SH 3...'],
    ['LTC', 0x30, 'P2PKH L...'],
    ['LTC', 0x32, 'P2SH M...'],
    ['LTC', 0x05, 'former P2SH 3...'],
    ['TRON', 0x41, 'T...'],
  ];
  test.each(base58Cases)(
    '%s version 0x%s (%s): valid, and any one character changed is refused',
    (network, version) => {
      fc.assert(
        fc.property(bytes(20), fc.nat(), fc.integer({ min: 1, max: 57 }), (hash, at, step) => {
          const address = base58check(version, hash);
          expect(checkAddress(network, address)).toEqual({ ok: true, address });
          const changed = substitute(address, at % address.length, BASE58_ALPHABET, step);
          expect(checkAddress(network, changed).ok).toBe(false);
        }),
      );
    },
  );

  const segwitCases: Array<[Network, string, number, number]> = [
    ['BTC', 'bc', 0, 20],
    ['BTC', 'bc', 0, 32],
    ['BTC', 'bc', 1, 32],
    ['BTC', 'bc', 5, 12], // a future version (BIP350: senders accept them)
    ['LTC', 'ltc', 0, 20],
    ['LTC', 'ltc', 0, 32],
    ['LTC', 'ltc', 1, 32],
  ];
  test.each(segwitCases)(
    '%s %s1 v%d, %d bytes: valid in either case, any one character changed is refused',
    (network, hrp, version, length) => {
      fc.assert(
        fc.property(bytes(length), fc.nat(), fc.integer({ min: 1, max: 31 }), (program, at, step) => {
          const address = segwit(hrp, version, program);
          expect(checkAddress(network, address)).toEqual({ ok: true, address });
          expect(checkAddress(network, address.toUpperCase())).toEqual({ ok: true, address });
          const dataStart = hrp.length + 1;
          const changed = substitute(address, dataStart + (at % (address.length - dataStart)), BECH32_CHARSET, step);
          expect(checkAddress(network, changed).ok).toBe(false);
        }),
      );
    },
  );

  test('testnet and regtest prefixes are another network', () => {
    const hash = new Uint8Array(20).fill(7);
    for (const version of [0x6f, 0xc4])
      expect(checkAddress('BTC', base58check(version, hash))).toEqual({ ok: false, reason: 'network' });
    for (const version of [0x6f, 0x3a, 0xc4])
      expect(checkAddress('LTC', base58check(version, hash))).toEqual({ ok: false, reason: 'network' });
    for (const hrp of ['tb', 'bcrt'])
      expect(checkAddress('BTC', segwit(hrp, 0, hash))).toEqual({ ok: false, reason: 'network' });
    for (const hrp of ['tltc', 'rltc'])
      expect(checkAddress('LTC', segwit(hrp, 0, hash))).toEqual({ ok: false, reason: 'network' });
    expect(checkAddress('TRON', base58check(0xa0, hash))).toEqual({ ok: false, reason: 'network' }); // Shasta-era 0xa0
  });

  test('wrong lengths and the wrong checksum kind are refused', () => {
    for (const n of [19, 21])
      expect(checkAddress('BTC', base58check(0x00, new Uint8Array(n).fill(1)))).toEqual({
        ok: false,
        reason: 'format',
      });
    expect(checkAddress('TRON', base58check(0x41, new Uint8Array(32).fill(1)))).toEqual({
      ok: false,
      reason: 'format',
    });
    expect(checkAddress('BTC', segwit('bc', 0, new Uint8Array(25)))).toEqual({ ok: false, reason: 'format' });
    expect(checkAddress('BTC', segwit('bc', 1, new Uint8Array(41)))).toEqual({ ok: false, reason: 'format' });
    expect(checkAddress('BTC', segwit('bc', 1, new Uint8Array(32).fill(9), 'bech32'))).toEqual({
      ok: false,
      reason: 'checksum',
    });
    expect(checkAddress('LTC', segwit('ltc', 0, new Uint8Array(20).fill(9), 'bech32m'))).toEqual({
      ok: false,
      reason: 'checksum',
    });
    for (const n of [31, 33, 64])
      expect(checkAddress('SOL', base58(new Uint8Array(n).fill(200)))).toEqual({ ok: false, reason: 'format' });
  });

  test('SOL: any 32 bytes (leading zeros included) are an address; Solana has no checksum to catch a typo', () => {
    fc.assert(
      fc.property(bytes(32), fc.integer({ min: 0, max: 3 }), (key, zeros) => {
        key.fill(0, 0, zeros);
        const address = base58(key);
        expect(checkAddress('SOL', address)).toEqual({ ok: true, address });
      }),
    );
  });

  test('ETH: every all-lower-case address is valid and comes back in EIP-55 form, which is valid too', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...HEX), { minLength: 40, maxLength: 40 }), (digits) => {
        const check = checkAddress('ETH', `0x${digits.join('')}`);
        if (!check.ok) throw new Error('refused');
        expect(check.address.toLowerCase()).toBe(`0x${digits.join('')}`);
        expect(checkAddress('ETH', check.address)).toEqual(check);
      }),
    );
  });
});

describe('transaction hashes', () => {
  const hex64 = 'a1075db55d416d3ca199f55b6084e2115b9345e16c5cf302fc80e9d5fbf5d48d';
  const sig = base58(new Uint8Array(64).fill(171));

  test('each network takes its own format, normalised', () => {
    expect(parseTxHash('BTC', hex64.toUpperCase())).toBe(hex64);
    expect(parseTxHash('LTC', ` ${hex64} `)).toBe(hex64);
    expect(parseTxHash('TRON', hex64)).toBe(hex64);
    expect(parseTxHash('ETH', `0x${hex64.toUpperCase()}`)).toBe(`0x${hex64}`);
    expect(parseTxHash('SOL', sig)).toBe(sig);
  });

  test('the wrong format for the network is refused', () => {
    const refused: Array<[Network, string]> = [
      ['BTC', `0x${hex64}`],
      ['BTC', hex64.slice(1)],
      ['BTC', `${hex64}0`],
      ['BTC', `${hex64.slice(1)}g`],
      ['TRON', `0x${hex64}`],
      ['ETH', hex64],
      ['ETH', `0x${hex64.slice(2)}`],
      ['SOL', hex64],
      ['SOL', base58(new Uint8Array(32).fill(171))],
      ['SOL', base58(new Uint8Array(65).fill(171))],
      ['SOL', `${sig.slice(0, -1)}0`],
      ['LTC', ''],
    ];
    for (const [network, hash] of refused)
      expect([network, hash, parseTxHash(network, hash)]).toEqual([network, hash, null]);
  });
});
