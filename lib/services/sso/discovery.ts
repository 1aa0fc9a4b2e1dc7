import { z } from 'zod';
import { AppError } from '../../platform/errors';

/** How long the IdP's discovery document may take to arrive when a connection is saved. */
export const DISCOVERY_TIMEOUT_MS = 5_000;
const MAX_DISCOVERY_BYTES = 256 * 1024;

const EndpointSchema = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

/** The fields of an OpenID Provider's discovery document that sign-in relies on (OpenID Connect Discovery 1.0 §3). */
export const DiscoveryDocumentSchema = z.object({
  issuer: z.string({ error: 'is missing' }).min(1, 'is missing'),
  authorization_endpoint: EndpointSchema,
  token_endpoint: EndpointSchema,
  jwks_uri: EndpointSchema,
  userinfo_endpoint: EndpointSchema.optional(),
  response_types_supported: z.array(z.string()).optional(),
  id_token_signing_alg_values_supported: z.array(z.string()).optional(),
});
export type DiscoveryDocument = z.infer<typeof DiscoveryDocumentSchema>;

export type DiscoveryOptions = {
  production: boolean; fetch?: typeof fetch; timeoutMs?: number;
  /** Why the server must not fetch a URL (internal address), or null; see lib/services/sso/address-policy.ts. */
  refusedUrlReason?: (url: string) => Promise<string | null>;
};

function refuse(message: string): never {
  throw new AppError('invalid', `The identity provider's discovery document was refused: ${message}`, [{ path: 'issuer', message }]);
}

/** "https://idp.example.com/realms/acme/" and "https://idp.example.com/realms/acme" name the same issuer. */
export function sameIssuer(a: string, b: string): boolean {
  return a.replace(/\/+$/, '') === b.replace(/\/+$/, '');
}

export function discoveryUrl(issuer: string): string {
  return `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
}

/**
 * Fetches `<issuer>/.well-known/openid-configuration` and checks it is a usable OpenID Provider for this issuer:
 * reachable within the timeout, JSON (not an HTML login or error page), the issuer it declares is the one
 * configured (ID tokens are checked against it), every endpoint sign-in needs present, https in production.
 * Each refusal is an `invalid` AppError naming what failed; nothing of the response body is echoed beyond the
 * declared issuer.
 */
export async function fetchDiscovery(issuer: string, options: DiscoveryOptions): Promise<DiscoveryDocument> {
  let issuerUrl: URL;
  try {
    issuerUrl = new URL(issuer);
  } catch {
    return refuse('the issuer is not a URL');
  }
  if (issuerUrl.protocol !== 'https:' && issuerUrl.protocol !== 'http:') refuse('the issuer must be an https:// URL');
  if (options.production && issuerUrl.protocol !== 'https:') refuse('the issuer must use https:// in production (an http:// issuer lets anyone on the path forge sign-ins)');
  if (issuerUrl.search || issuerUrl.hash) refuse('the issuer must not carry a query or fragment');

  const url = discoveryUrl(issuer);
  const refusedIssuer = options.refusedUrlReason ? await options.refusedUrlReason(url) : null;
  if (refusedIssuer) refuse(refusedIssuer);
  const doFetch = options.fetch ?? fetch;
  let response: Response;
  try {
    response = await doFetch(url, {
      headers: { accept: 'application/json' },
      redirect: 'error', // a discovery document lives at the issuer; a redirect elsewhere is not that issuer's
      signal: AbortSignal.timeout(options.timeoutMs ?? DISCOVERY_TIMEOUT_MS),
    });
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    return refuse(timedOut
      ? `${url} did not answer within ${Math.round((options.timeoutMs ?? DISCOVERY_TIMEOUT_MS) / 1000)} s`
      : `${url} is unreachable (${describeFetchError(error)})`);
  }
  if (!response.ok) refuse(`${url} answered HTTP ${response.status}`);
  const length = Number(response.headers.get('content-length') ?? 0);
  if (length > MAX_DISCOVERY_BYTES) refuse(`${url} returned more than ${MAX_DISCOVERY_BYTES / 1024} KiB`);
  const text = await response.text();
  if (text.length > MAX_DISCOVERY_BYTES) refuse(`${url} returned more than ${MAX_DISCOVERY_BYTES / 1024} KiB`);
  const contentType = response.headers.get('content-type') ?? '';
  if (/html/i.test(contentType) || /^\s*</.test(text)) refuse(`${url} returned an HTML page, not a JSON discovery document (is the issuer URL complete, e.g. with the realm or tenant?)`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return refuse(`${url} did not return JSON`);
  }
  const parsed = DiscoveryDocumentSchema.safeParse(json);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'document'} ${issue.message}`);
    return refuse(`missing or invalid: ${fields.join('; ')}`);
  }
  const doc = parsed.data;
  if (!sameIssuer(doc.issuer, issuer)) refuse(`the document declares the issuer "${doc.issuer.slice(0, 200)}", not "${issuer}"`);
  for (const field of ['token_endpoint', 'jwks_uri', 'userinfo_endpoint'] as const) { // the server calls these
    const value = doc[field];
    if (!value) continue;
    if (options.production && !value.startsWith('https://')) refuse(`${field} must use https:// in production`);
    const reason = options.refusedUrlReason ? await options.refusedUrlReason(value) : null;
    if (reason) refuse(`${field}: ${reason}`);
  }
  if (options.production && !doc.authorization_endpoint.startsWith('https://')) refuse('authorization_endpoint must use https:// in production');
  return doc;
}

function describeFetchError(error: unknown): string {
  const cause = error instanceof Error ? (error.cause as { code?: string } | undefined) : undefined;
  if (cause?.code) return cause.code;
  return error instanceof Error ? error.message.slice(0, 120) : 'network error';
}
