import { hostnameOf, refusedAddressReason, systemResolver, type HostResolver, type ResolvedAddress } from '../../platform/net/address-policy';
import { parseIp, type IpAddress } from '../../platform/net/ip-ranges';
import { validateWebhookUrl, webhookUrlPolicy, ALLOW_HINT, type WebhookUrlPolicy } from './url-policy';

/** A checked destination: the URL as given (Host and SNI stay its hostname) and the one address to connect to. */
export type DeliverableTarget = { url: URL; address: string; family: 4 | 6 };

/** Raised when a webhook's URL or the addresses its host resolves to may not be reached. */
export class WebhookAddressError extends Error {
  override readonly name = 'WebhookAddressError';
}

/**
 * Delivery-time check: validates the URL, resolves its host, and refuses when ANY resolved address is internal
 * (a name with one public and one private answer could be steered to either). Returns the address to connect to.
 */
export async function assertDeliverableAddress(
  value: string, options: { policy?: WebhookUrlPolicy; resolve?: HostResolver } = {},
): Promise<DeliverableTarget> {
  const policy = options.policy ?? webhookUrlPolicy();
  const check = validateWebhookUrl(value, policy);
  if (!check.ok) throw new WebhookAddressError(check.error);
  const url = new URL(value);
  const literal = parseIp(url.hostname);
  if (literal) return { url, address: literal.toString(), family: literal.kind() === 'ipv4' ? 4 : 6 };
  const hostname = hostnameOf(url);
  let answers: ResolvedAddress[];
  try {
    answers = await (options.resolve ?? systemResolver)(hostname);
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new WebhookAddressError(`"${hostname}" could not be resolved${code ? ` (${code})` : ''}`);
  }
  if (answers.length === 0) throw new WebhookAddressError(`"${hostname}" resolves to no address`);
  const checked: IpAddress[] = [];
  for (const answer of answers) {
    const address = parseIp(answer.address);
    if (!address) throw new WebhookAddressError(`"${hostname}" resolves to something that is not an address`);
    const reason = refusedAddressReason(address, policy.allowedCidrs);
    if (reason) throw new WebhookAddressError(`"${hostname}" resolves to ${address.toString()}, ${reason}; ${ALLOW_HINT}`);
    checked.push(address);
  }
  const first = checked[0] as IpAddress;
  return { url, address: first.toString(), family: first.kind() === 'ipv4' ? 4 : 6 };
}
