import { env } from '../../platform/env';
import { refusedAddressReason, systemResolver, type HostResolver } from '../../platform/net/address-policy';
import { parseCidrList, parseIp, type Cidr } from '../../platform/net/ip-ranges';

const LOOPBACK = parseCidrList('127.0.0.0/8,::1/128');

/** Ranges a connection may point into: the operator's SSO_ALLOWED_CIDRS, plus loopback outside production. */
export function ssoAllowedCidrs(): Cidr[] {
  const e = env();
  return [...e.SSO_ALLOWED_CIDRS, ...(e.NODE_ENV === 'production' ? [] : LOOPBACK)];
}

/**
 * Why the server must not fetch `url` for an organization's SSO connection, or null when it may. Saving a
 * connection makes the server fetch the issuer's discovery document, and signing in through it makes the
 * server call its token and JWKS endpoints: without this check an OWNER of any tenant could point them at
 * Redis, the cloud metadata service or another internal host (the rule webhooks follow too, lib/platform/net/address-policy.ts).
 * Every address the host resolves to is checked, as for webhooks; a host that resolves differently later
 * (DNS rebinding) is checked again at the next save, not at each sign-in (next-auth does its own fetching).
 */
export async function refusedSsoUrlReason(url: string, allowed: readonly Cidr[] = ssoAllowedCidrs(), resolve: HostResolver = systemResolver): Promise<string | null> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `${url.slice(0, 200)} is not a URL`;
  }
  const hostname = parsed.hostname.replace(/^\[|\]$/g, '');
  const literal = parseIp(hostname);
  let addresses: string[];
  if (literal) addresses = [literal.toString()];
  else {
    try {
      addresses = (await resolve(hostname)).map((answer) => answer.address);
    } catch (error) {
      const code = (error as { code?: string }).code;
      return `${hostname} could not be resolved${code ? ` (${code})` : ''}`;
    }
    if (addresses.length === 0) return `${hostname} resolves to no address`;
  }
  for (const value of addresses) {
    const address = parseIp(value);
    if (!address) return `${hostname} resolves to something that is not an address`;
    const reason = refusedAddressReason(address, allowed);
    if (reason) return `${hostname} is ${literal ? '' : `at ${address.toString()}, `}${reason}: an identity provider must be at a public address (an operator can allow a range with SSO_ALLOWED_CIDRS)`;
  }
  return null;
}
