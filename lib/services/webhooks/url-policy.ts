import { env } from '../../platform/env';
import { hostnameOf, isCloudMetadataHostname, refusedAddressReason } from '../../platform/net/address-policy';
import { parseIp, type Cidr } from '../../platform/net/ip-ranges';

/**
 * Where a webhook may go. A webhook URL is chosen by an org admin, and the worker that POSTs to it sits inside
 * our network: without these checks any tenant could make us talk to Redis on 127.0.0.1:6379, the cloud
 * metadata service (169.254.169.254) or anything on the private network. Which addresses are internal is the
 * shared rule in lib/platform/net/address-policy.ts; this file adds the webhook's own. Two doors, one policy:
 * - validateWebhookUrl, at save time (no DNS: a name is checked when it is used, because it can change).
 * - assertDeliverableAddress (./resolve-target.ts), at delivery time: resolves the name, checks every address it resolves to, and
 *   returns the address to connect to, so the connection goes where we looked (no DNS rebinding in between).
 */

export type WebhookUrlPolicy = {
  /** Ranges an operator allows explicitly (WEBHOOK_ALLOWED_CIDRS), e.g. an internal receiver. */
  allowedCidrs: readonly Cidr[];
  /** Plain http:// is for development and tests only. */
  allowHttp: boolean;
};

export type WebhookUrlCheck = { ok: true } | { ok: false; error: string };

export const ALLOW_HINT = 'webhooks may only reach public addresses (an operator can allow a range with WEBHOOK_ALLOWED_CIDRS)';

/** The policy from the environment: https only in production, plus the operator's allowed ranges. */
export function webhookUrlPolicy(): WebhookUrlPolicy {
  const e = env();
  return { allowedCidrs: e.WEBHOOK_ALLOWED_CIDRS, allowHttp: e.NODE_ENV !== 'production' };
}

/** Save-time check of a webhook URL: scheme, credentials, and the host when it is an address or a known-internal name. */
export function validateWebhookUrl(value: string, policy: WebhookUrlPolicy = webhookUrlPolicy()): WebhookUrlCheck {
  let url: URL;
  try { url = new URL(value); } catch { return { ok: false, error: 'Enter a full URL, like https://hooks.example.com/bulwark' }; }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && policy.allowHttp)) {
    return { ok: false, error: policy.allowHttp ? 'Use an https:// or http:// URL' : 'Use an https:// URL (plain http:// is allowed only outside production)' };
  }
  if (url.username || url.password) return { ok: false, error: 'A webhook URL must not contain a user name or password' };
  const hostname = hostnameOf(url);
  if (isCloudMetadataHostname(hostname)) return { ok: false, error: `"${hostname}" is a cloud metadata service; ${ALLOW_HINT}` };
  // The URL parser has already turned odd IPv4 spellings (2130706433, 0x7f.1) into dotted decimal.
  const literal = parseIp(url.hostname);
  // "localhost" and *.localhost always mean this machine (RFC 6761), whatever DNS says.
  const local = hostname === 'localhost' || hostname.endsWith('.localhost') ? parseIp('127.0.0.1') : null;
  const address = literal ?? local;
  if (address) {
    const reason = refusedAddressReason(address, policy.allowedCidrs);
    if (reason) return { ok: false, error: `"${url.hostname}" is ${reason}; ${ALLOW_HINT}` };
  }
  return { ok: true };
}
