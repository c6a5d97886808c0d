import type { BlockList } from 'node:net';

/**
 * node:net, loaded when TRUSTED_PROXIES is set: it brings node's stream classes, 5-10 ms of every
 * start of the compiled binary, which a marketplace without a proxy in front never needs.
 */
let loaded: typeof import('node:net') | undefined;
const net = () => (loaded ??= require('node:net') as typeof import('node:net'));
const isIP = (address: string) => net().isIP(address);

/** Which address a request counts as: the connection's, or the client a trusted proxy names. */
export type ClientResolver = (peer: string, forwardedFor: string | null) => string;

/**
 * Parses a comma-separated list of addresses and CIDR ranges (`10.0.0.0/8, ::1, fd00::/8`).
 * Returns the first entry that is neither, or the ranges.
 */
export function parseAddressRanges(list: string): { ranges: BlockList } | { invalid: string } {
  const ranges = new (net().BlockList)();
  for (const entry of list.split(',').map((e) => e.trim())) {
    const [address = '', prefix, extra] = entry.split('/');
    const family = isIP(address);
    const bits = prefix === undefined ? undefined : /^\d{1,3}$/.test(prefix) ? Number(prefix) : Number.NaN;
    const maxBits = family === 6 ? 128 : 32;
    if (family === 0 || extra !== undefined || (bits !== undefined && !(bits <= maxBits))) return { invalid: entry };
    const type = family === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) ranges.addAddress(address, type);
    else ranges.addSubnet(address, bits, type);
  }
  return { ranges };
}

const familyOf = (address: string) => (isIP(address) === 6 ? 'ipv6' : 'ipv4');

/**
 * Without trusted proxies a client is the connection's address, whatever its headers say. From a
 * trusted proxy, X-Forwarded-For is read from the right (the hop the proxy itself appended) past
 * the other trusted hops: the first address not trusted is the client. Entries to its left were
 * written by the client and prove nothing. An entry that is not an address stops the walk at the
 * last trusted hop, so a broken header never lends a client someone else's address.
 */
export function clientResolver(trusted: BlockList | undefined): ClientResolver {
  if (!trusted) return (peer) => peer;
  const isTrusted = (address: string) => trusted.check(address, familyOf(address));
  return (peer, forwardedFor) => {
    if (!forwardedFor || isIP(peer) === 0 || !isTrusted(peer)) return peer;
    let client = peer;
    const hops = forwardedFor.split(',').map((hop) => hop.trim());
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = hops[i]!;
      if (isIP(hop) === 0) return client;
      client = hop;
      if (!isTrusted(hop)) return hop;
    }
    return client;
  };
}
