import { env } from '../env';
import { isInRanges, parseIp, type Cidr } from '../net/ip-ranges';

/** Who sent a request, as far as we can tell: for the audit log and per-client rate limits. */
export type RequestMeta = { ip: string | null; userAgent: string | null };

const MAX_FORWARDED_ENTRIES = 32;
const MAX_USER_AGENT = 512;

/** "1.2.3.4", "1.2.3.4:5678", "[2001:db8::1]:443" or "2001:db8::1" -> the address; null for anything else ("unknown", garbage). */
function parseForwardedEntry(entry: string): string | null {
  const text = entry.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(text);
  const v4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(text);
  const address = parseIp(bracketed?.[1] ?? v4WithPort?.[1] ?? text);
  return address ? address.toString() : null;
}

/**
 * The client's address from a request's headers, believing X-Forwarded-For only as far as TRUSTED_PROXIES says.
 *
 * What Next.js 16 gives a route or page: no socket address at all (request.ip is gone), only headers. `next start`
 * sets `x-forwarded-for` to the socket's remote address when the header is ABSENT and leaves a header the client
 * sent untouched: it neither appends nor overwrites (next/dist/server/base-server.js: `req.headers['x-forwarded-for']
 * ??= socket.remoteAddress`). So every entry of the header may be the client's own invention unless a proxy we
 * trust wrote it, and the address of our immediate peer is never in it when the client sent one.
 *
 * Hence: with no TRUSTED_PROXIES the header is ignored and the address is unknown (null): per-client limits are
 * then not applied (one shared bucket would let any one client lock every tenant out of signing in, and a key
 * from the header would let anyone pick a fresh address per request). With proxies
 * configured, the app's port must be reachable only through them (a client that reaches `next start` directly
 * can write the whole header). The header is walked from the right, the side our proxies append to, skipping
 * addresses of trusted proxies (a CDN in front of a load balancer); the first address that is not one is the
 * client. X-Real-IP is not read: it is one more client-writable header.
 */
export function clientAddress(headers: Headers, trustedProxies: readonly Cidr[] = env().TRUSTED_PROXIES): string | null {
  if (trustedProxies.length === 0) return null;
  const forwarded = headers.get('x-forwarded-for');
  if (!forwarded) return null;
  const entries = forwarded.split(',').slice(-MAX_FORWARDED_ENTRIES);
  let leftmostTrusted: string | null = null;
  for (let index = entries.length - 1; index >= 0; index -= 1) {
    const address = parseForwardedEntry(entries[index] ?? '');
    if (!address) return null; // a hop we can't read: whatever is left of it is unverifiable
    const parsed = parseIp(address);
    if (!parsed || !isInRanges(parsed, trustedProxies)) return address;
    leftmostTrusted = address;
  }
  return leftmostTrusted; // every hop is one of our proxies: the request started there
}

/** Client address and user agent of a request, for OrgContext and the audit log. */
export function requestMetaFrom(headers: Headers, trustedProxies?: readonly Cidr[]): RequestMeta {
  return { ip: clientAddress(headers, trustedProxies), userAgent: headers.get('user-agent')?.slice(0, MAX_USER_AGENT) ?? null };
}

/** The key of per-client rate limits: the client's address, or null when it is unknown (no limit per client). */
export function rateLimitClientKey(headers: Headers): string | null {
  return clientAddress(headers);
}
