import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';
import { isInRanges, type Cidr, type IpAddress } from './ip-ranges';

/**
 * Which addresses the server may reach on a tenant's behalf. A tenant chooses some URLs the server then calls
 * from inside our network (a webhook's receiver, an SSO connection's issuer): without this rule any tenant could
 * make us talk to Redis on 127.0.0.1:6379, the cloud metadata service (169.254.169.254) or anything on the
 * private network. Each caller brings the ranges its operator allowed (WEBHOOK_ALLOWED_CIDRS, SSO_ALLOWED_CIDRS)
 * and words its own refusal; the rule itself is here, once.
 */

/** Names of cloud metadata services: refused whatever they resolve to. */
const METADATA_HOSTNAMES = new Set([
  'metadata', 'metadata.google.internal', 'metadata.goog', 'instance-data', 'instance-data.ec2.internal',
  'metadata.azure.internal', 'metadata.platformequinix.com', 'metadata.tencentyun.com',
]);

const RANGE_LABELS: Record<string, string> = {
  loopback: 'a loopback', private: 'a private', uniqueLocal: 'a private (unique local)', linkLocal: 'a link-local (cloud metadata)',
  carrierGradeNat: 'a carrier-grade NAT', unspecified: 'an unspecified', broadcast: 'a broadcast', multicast: 'a multicast',
  ipv4Mapped: 'an IPv4-mapped', rfc6145: 'an IPv4-translated', rfc6052: 'a NAT64', '6to4': 'a 6to4', teredo: 'a Teredo',
};

const NAT64_PREFIX = ipaddr.parseCIDR('64:ff9b::/96');

/**
 * Why an address must not be reached, or null when it may. Only globally routable unicast passes (ipaddr.js's
 * "unicast", i.e. none of the IANA special-purpose ranges), unless the operator allowed its range. A NAT64
 * address (64:ff9b::a.b.c.d) is judged by the IPv4 address it translates to.
 */
export function refusedAddressReason(address: IpAddress, allowedCidrs: readonly Cidr[]): string | null {
  if (isInRanges(address, allowedCidrs)) return null;
  if (address.kind() === 'ipv6' && address.match(NAT64_PREFIX)) {
    const embedded = ipaddr.fromByteArray(address.toByteArray().slice(12));
    const inner = refusedAddressReason(embedded, allowedCidrs);
    return inner ? `a NAT64 address for ${embedded.toString()}, ${inner}` : null;
  }
  const range = address.range();
  if (range === 'unicast') return null;
  return `${RANGE_LABELS[range] ?? `a special-purpose (${range})`} address`;
}

/** True for the names of cloud metadata services (`hostname` as hostnameOf gives it). */
export function isCloudMetadataHostname(hostname: string): boolean {
  return METADATA_HOSTNAMES.has(hostname);
}

/** A URL's host name, lower case and without a trailing dot (so "METADATA.GOOGLE.INTERNAL." is caught). */
export function hostnameOf(url: URL): string {
  return url.hostname.toLowerCase().replace(/\.$/, '');
}

export type ResolvedAddress = { address: string; family: number };
/** Resolves a host name to all its addresses (tests pass their own). */
export type HostResolver = (hostname: string) => Promise<ResolvedAddress[]>;

/** The system resolver, every answer in the order given. */
export const systemResolver: HostResolver = (hostname) => lookup(hostname, { all: true, verbatim: true });
