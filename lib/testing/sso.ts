import { systemContext } from '../platform/auth/context';
import { createSsoConnection } from '../services/sso/connections';
import { uniqueSuffix } from './factories';

/** A discovery document as oidc-provider (scripts/dev-idp.ts) serves it for `issuer`. */
export function discoveryFor(issuer: string) {
  const base = issuer.replace(/\/+$/, '');
  return {
    issuer, authorization_endpoint: `${base}/auth`, token_endpoint: `${base}/token`, jwks_uri: `${base}/jwks`,
    userinfo_endpoint: `${base}/me`, response_types_supported: ['code'], id_token_signing_alg_values_supported: ['RS256'],
  };
}

/** The made-up IdP host names of these tests stand at a public address (example.com's). */
export const publicTestAddress = async () => [{ address: '93.184.216.34', family: 4 }];

/** A fetch that answers every discovery request with the document of the issuer it was asked about. */
export const discoveryFetch: typeof fetch = async (input) => {
  const url = String(input instanceof Request ? input.url : input);
  return Response.json(discoveryFor(url.replace(/\/\.well-known\/openid-configuration$/, '')));
};

/** An SSO connection of `org`, saved through the service (discovery answered in-process, secret sealed). */
export async function createTestConnection(org: { id: string; slug: string }, overrides: { name?: string; issuer?: string; groupClaim?: string; clientSecret?: string } = {}) {
  const suffix = uniqueSuffix();
  return createSsoConnection(systemContext(org.id, 'test', org.slug), {
    name: overrides.name ?? `IdP ${suffix}`,
    issuer: overrides.issuer ?? `http://idp-${suffix}.test`,
    clientId: `client-${suffix}`,
    clientSecret: overrides.clientSecret ?? `secret-${suffix}`,
    groupClaim: overrides.groupClaim ?? 'groups',
  }, { production: false, fetch: discoveryFetch, resolve: publicTestAddress });
}
