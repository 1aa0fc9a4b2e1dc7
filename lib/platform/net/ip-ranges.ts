import ipaddr from 'ipaddr.js';

// IP parsing and range checks go through ipaddr.js (maintained, no dependencies, used by Express's proxy-addr)
// rather than hand-written regexes: it knows the odd IPv4 spellings (2130706433, 0x7f.1, 127.1), IPv6
// compression, zone ids, IPv4-mapped IPv6 and the IANA special-purpose tables, which is where hand-written
// checks have gone wrong before (a prefix test on "fe8" misses fe90::/12 spellings, "::ffff:" misses the hex form).

export type IpAddress = ipaddr.IPv4 | ipaddr.IPv6;
export type Cidr = [IpAddress, number];

/** A parsed address, with IPv4-mapped IPv6 (::ffff:a.b.c.d) turned into the IPv4 address it stands for; null if not an address. */
export function parseIp(value: string): IpAddress | null {
  const bare = value.startsWith('[') && value.endsWith(']') ? value.slice(1, -1) : value;
  if (!ipaddr.isValid(bare)) return null;
  try {
    return ipaddr.process(bare);
  } catch {
    return null;
  }
}

/** One CIDR ("10.0.0.0/8", "::1/128") or a bare address (a /32 or /128); null when it is neither. */
export function parseCidr(value: string): Cidr | null {
  const text = value.trim();
  if (ipaddr.isValidCIDR(text)) {
    const [address, bits] = ipaddr.parseCIDR(text);
    // An IPv4-mapped range is the IPv4 range it covers, so it matches addresses parseIp has already unmapped.
    if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress() && bits >= 96) return [(address as ipaddr.IPv6).toIPv4Address(), bits - 96];
    return [address, bits];
  }
  const single = parseIp(text);
  return single ? [single, single.kind() === 'ipv4' ? 32 : 128] : null;
}

/** A comma- or space-separated list of CIDRs; throws naming the first entry that is not one (for env parsing). */
export function parseCidrList(value: string): Cidr[] {
  return value.split(/[\s,]+/).filter(Boolean).map((entry) => {
    const cidr = parseCidr(entry);
    if (!cidr) throw new Error(`"${entry}" is not an IP address or CIDR range`);
    return cidr;
  });
}

export function isInRanges(address: IpAddress, ranges: readonly Cidr[]): boolean {
  return ranges.some(([network, bits]) => network.kind() === address.kind() && address.match(network, bits));
}
