import { Resolver } from 'node:dns/promises';
import { env } from '../../platform/env';

/** How long one TXT lookup may take (per try) before verification says the DNS did not answer. */
const DNS_TIMEOUT_MS = 3_000;

export type TxtLookup = { ok: true; records: string[] } | { ok: false; reason: string };

/**
 * The TXT records of `domain`, asked of DNS_RESOLVER when it is set (host:port; tests run a DNS server on
 * loopback), otherwise of the system's resolvers. A TXT record split into several strings is joined, as the
 * record's owner wrote it.
 */
export async function lookupTxt(domain: string): Promise<TxtLookup> {
  const resolver = new Resolver({ timeout: DNS_TIMEOUT_MS, tries: 2 });
  const configured = env().DNS_RESOLVER;
  if (configured) resolver.setServers([configured]);
  try {
    const records = await resolver.resolveTxt(domain);
    return { ok: true, records: records.map((chunks) => chunks.join('')) };
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ENODATA' || code === 'ENOTFOUND') return { ok: true, records: [] };
    return { ok: false, reason: code === 'ETIMEOUT' ? 'the DNS did not answer in time' : `the DNS lookup failed (${code ?? 'error'})` };
  }
}
