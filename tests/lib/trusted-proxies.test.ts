import { describe, expect, test } from 'bun:test';
import { clientResolver, parseAddressRanges } from '../../src/lib/trusted-proxies.ts';

function resolverFor(list: string) {
  const parsed = parseAddressRanges(list);
  if (!('ranges' in parsed)) throw new Error(`bad list: ${parsed.invalid}`);
  return clientResolver(parsed.ranges);
}

describe('parseAddressRanges', () => {
  test('takes addresses and CIDR ranges of both families', () => {
    expect('ranges' in parseAddressRanges('10.0.0.0/8, 127.0.0.1 ,fd00::/8,::1')).toBe(true);
  });

  test('names the first entry that is not an address or a range', () => {
    for (const [list, invalid] of [
      ['10.0.0.0/8, proxy.local', 'proxy.local'],
      ['10.0.0.0/33', '10.0.0.0/33'],
      ['fd00::/129', 'fd00::/129'],
      ['10.0.0.0/8/1', '10.0.0.0/8/1'],
      ['10.0.0.0/x', '10.0.0.0/x'],
      ['10.0.0.1,', ''],
      ['300.1.1.1', '300.1.1.1'],
    ] as const) {
      expect(parseAddressRanges(list)).toEqual({ invalid });
    }
  });
});

describe('clientResolver', () => {
  test('without trusted proxies the connection is the client, whatever X-Forwarded-For says', () => {
    expect(clientResolver(undefined)('203.0.113.9', '198.51.100.1')).toBe('203.0.113.9');
  });

  test('a peer that is not a trusted proxy cannot name another client', () => {
    expect(resolverFor('10.0.0.0/8')('203.0.113.9', '198.51.100.1')).toBe('203.0.113.9');
  });

  test('from a trusted proxy, the address the proxy appended is the client', () => {
    expect(resolverFor('10.0.0.0/8')('10.0.0.5', '198.51.100.1')).toBe('198.51.100.1');
  });

  test('what the client wrote to the left of the proxy hop is ignored', () => {
    const resolve = resolverFor('10.0.0.0/8');
    expect(resolve('10.0.0.5', '1.2.3.4, 10.9.9.9, 198.51.100.1')).toBe('198.51.100.1');
    // A forged trusted address to the left cannot be chosen either: the walk stops at the first untrusted hop.
    expect(resolve('10.0.0.5', '10.1.1.1, 198.51.100.1')).toBe('198.51.100.1');
  });

  test('several trusted hops are skipped from the right', () => {
    expect(resolverFor('10.0.0.0/8, 172.16.0.0/12')('10.0.0.5', '198.51.100.1, 172.16.3.3')).toBe('198.51.100.1');
  });

  test('IPv6 clients and IPv4-mapped proxy addresses', () => {
    const resolve = resolverFor('172.28.0.0/16, fd00::/8');
    expect(resolve('::ffff:172.28.0.7', '2001:db8::1')).toBe('2001:db8::1');
    expect(resolve('fd00::2', '198.51.100.1')).toBe('198.51.100.1');
  });

  test('a header that is not an address stops at the last trusted hop; no header keeps the peer', () => {
    const resolve = resolverFor('10.0.0.0/8');
    expect(resolve('10.0.0.5', 'unknown')).toBe('10.0.0.5');
    expect(resolve('10.0.0.5', '198.51.100.1, garbage')).toBe('10.0.0.5');
    expect(resolve('10.0.0.5', null)).toBe('10.0.0.5');
    expect(resolve('10.0.0.5', '10.0.0.6')).toBe('10.0.0.6');
  });
});
