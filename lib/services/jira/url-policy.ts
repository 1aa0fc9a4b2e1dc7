import { env } from '../../platform/env';
import { hostnameOf, isCloudMetadataHostname, refusedAddressReason, systemResolver, type HostResolver } from '../../platform/net/address-policy';
import { parseIp, type Cidr } from '../../platform/net/ip-ranges';

/**
 * Where a Jira connection may point. Its base URL is chosen by an org admin and the server calls it from inside our
 * network, so the internal-address rule (lib/platform/net/address-policy.ts) applies as for webhooks: at save time
 * on the URL (literal addresses, localhost, metadata names), and before every call on what the name resolves to.
 * fetch() then resolves the name again; a rebinding between the two lookups is the residual risk (webhooks pin the
 * address with node:http; Jira calls carry a credential to a host the admin chose, and answer only to that admin).
 */

export type JiraUrlPolicy = { allowedCidrs: readonly Cidr[]; allowHttp: boolean };
export const JIRA_ALLOW_HINT = 'Jira may only be reached at a public address (an operator can allow a range with JIRA_ALLOWED_CIDRS)';

export function jiraUrlPolicy(): JiraUrlPolicy {
  const e = env();
  return { allowedCidrs: e.JIRA_ALLOWED_CIDRS, allowHttp: e.NODE_ENV !== 'production' };
}

/** Save-time check of a base URL: scheme, no credentials, no query, and the host when it is an address or an internal name. */
export function validateJiraBaseUrl(value: string, policy: JiraUrlPolicy = jiraUrlPolicy()): string | null {
  let url: URL;
  try { url = new URL(value); } catch { return 'Enter the full address of your Jira, like https://your-team.atlassian.net'; }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && policy.allowHttp)) return 'Use an https:// address';
  if (url.username || url.password) return 'The address must not contain a user name or password';
  if (url.search || url.hash) return 'The address must not contain a query or fragment';
  const hostname = hostnameOf(url);
  if (isCloudMetadataHostname(hostname)) return `"${hostname}" is a cloud metadata service; ${JIRA_ALLOW_HINT}`;
  const address = parseIp(url.hostname) ?? (hostname === 'localhost' || hostname.endsWith('.localhost') ? parseIp('127.0.0.1') : null);
  if (address) {
    const reason = refusedAddressReason(address, policy.allowedCidrs);
    if (reason) return `"${url.hostname}" is ${reason}; ${JIRA_ALLOW_HINT}`;
  }
  return null;
}

/** Call-time check: every address the host resolves to must be allowed. Returns the refusal, or null. */
export async function refusedJiraTarget(value: string, options: { policy?: JiraUrlPolicy; resolve?: HostResolver } = {}): Promise<string | null> {
  const policy = options.policy ?? jiraUrlPolicy();
  const saved = validateJiraBaseUrl(value, policy);
  if (saved) return saved;
  const url = new URL(value);
  if (parseIp(url.hostname)) return null;
  const hostname = hostnameOf(url);
  let answers;
  try { answers = await (options.resolve ?? systemResolver)(hostname); } catch { return `"${hostname}" could not be resolved`; }
  if (answers.length === 0) return `"${hostname}" resolves to no address`;
  for (const answer of answers) {
    const address = parseIp(answer.address);
    if (!address) return `"${hostname}" resolves to something that is not an address`;
    const reason = refusedAddressReason(address, policy.allowedCidrs);
    if (reason) return `"${hostname}" resolves to ${address.toString()}, ${reason}; ${JIRA_ALLOW_HINT}`;
  }
  return null;
}

/** The base URL as stored: no trailing slash. */
export function normalizeBaseUrl(value: string): string {
  const url = new URL(value.trim());
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}
