import type { NextAuthOptions, Session } from 'next-auth';
import { getServerSession } from 'next-auth';
import type { OAuthConfig } from 'next-auth/providers/oauth';
import { z } from 'zod';
import { env } from '../platform/env';
import { OidcProfileSchema } from '../services/identity/sign-in';
import { readGroupClaim } from '../services/identity/group-sync';
import { isSessionCurrent, SessionClaimsSchema } from '../platform/auth/session-version';
import { findActiveConnection, isConnectionActive, type ActiveConnection } from '../services/sso/connection-cache';
import { connectionIdFromProviderId, ssoProviderId } from '../services/sso/schemas';
import { completeSignIn } from './sign-in-state';
import { nextAuthLogger, noteSignInAssertion, noteSignInResult } from './sign-in-attempt';
import { logger } from '../platform/log';
import { safeCallbackPath } from '../platform/auth/callback-url';

const log = logger.child({ component: 'auth' });

const ExtraProvidersSchema = z.array(z.object({
  // "sso-…" names an organization's connection; an extra platform provider may not take such an id.
  id: z.string().regex(/^[a-z0-9-]+$/).refine((id) => !id.startsWith('sso-'), 'ids starting with sso- are reserved for organizations\' connections'),
  name: z.string(), issuer: z.url(), clientId: z.string(), clientSecret: z.string(),
}));

type ProviderUser = { id: string; email: string; name: string | null; groups: string[]; issuer: string };
type RawClaims = Record<string, unknown>;

/**
 * A platform provider (OIDC_ISSUER, OIDC_EXTRA_PROVIDERS): its sign-ins are identities with no connection, so its
 * group claims map to nothing in any organization.
 */
function platformProvider(id: string, name: string, issuer: string, clientId: string, clientSecret: string): OAuthConfig<RawClaims> {
  const prompt = process.env.OIDC_PROMPT;
  return {
    id,
    name,
    type: 'oauth',
    wellKnown: `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`,
    clientId,
    clientSecret,
    idToken: true,
    checks: ['pkce', 'state'],
    authorization: { params: { scope: 'openid email profile groups', ...(prompt ? { prompt } : {}) } },
    profile(raw) {
      const profile = OidcProfileSchema.parse(raw);
      const user: ProviderUser = { id: profile.sub, email: profile.email.toLowerCase(), name: profile.name ?? null, groups: [], issuer };
      return user;
    },
  };
}

/**
 * An organization's own connection. Endpoints come from the discovery document validated when it was saved (no
 * discovery fetch per sign-in); the ID token's `iss` must be that document's issuer. Groups are read from the
 * claim the connection names.
 */
function connectionProvider(connection: ActiveConnection): OAuthConfig<RawClaims> {
  const prompt = process.env.OIDC_PROMPT;
  const d = connection.discovery;
  return {
    id: ssoProviderId(connection.id),
    name: connection.name,
    type: 'oauth',
    issuer: d.issuer,
    authorization: { url: d.authorization_endpoint, params: { scope: connection.scopes, ...(prompt ? { prompt } : {}) } },
    token: d.token_endpoint,
    ...(d.userinfo_endpoint ? { userinfo: d.userinfo_endpoint } : {}),
    jwks_endpoint: d.jwks_uri,
    clientId: connection.clientId,
    clientSecret: connection.clientSecret,
    idToken: true,
    checks: ['pkce', 'state'],
    profile(raw) {
      const profile = OidcProfileSchema.parse(raw);
      const user: ProviderUser = { id: profile.sub, email: profile.email.toLowerCase(), name: profile.name ?? null, groups: readGroupClaim(raw, connection.groupClaim), issuer: d.issuer };
      return user;
    },
  };
}

let platformCache: OAuthConfig<RawClaims>[] | undefined;
let platformInfoCache: Map<string, { name: string; issuer: string }> | undefined;

/** The platform providers from the environment (the sign-in page offers them as the default route). */
export function platformProviders(): OAuthConfig<RawClaims>[] {
  if (platformCache) return platformCache;
  const e = env();
  const configured = [{ id: 'oidc', name: e.OIDC_PROVIDER_NAME, issuer: e.OIDC_ISSUER, clientId: e.OIDC_CLIENT_ID, clientSecret: e.OIDC_CLIENT_SECRET }];
  if (e.OIDC_EXTRA_PROVIDERS) configured.push(...ExtraProvidersSchema.parse(JSON.parse(e.OIDC_EXTRA_PROVIDERS)));
  platformInfoCache = new Map(configured.map((p) => [p.id, { name: p.name, issuer: p.issuer }]));
  platformCache = configured.map((p) => platformProvider(p.id, p.name, p.issuer, p.clientId, p.clientSecret));
  return platformCache;
}

/** A platform provider's name and issuer by its id (for the sign-in audit), or null when no platform provider has it. */
export function platformProviderInfo(id: string): { name: string; issuer: string } | null {
  platformProviders();
  return platformInfoCache?.get(id) ?? null;
}

declare module 'next-auth' {
  interface Session {
    user: { id: string; email: string; name: string | null; identityId?: string; sessionVersion?: number; connectionId?: string | null };
  }
}

const TokenClaimsSchema = z.object({
  userId: z.uuid(), identityId: z.uuid(), sessionVersion: z.number().int().min(0), connectionId: z.uuid().nullable().default(null),
});

let baseOptions: NextAuthOptions | undefined;

/** next-auth with OpenID Connect; sessions are signed JWT cookies (HttpOnly, SameSite=Lax, Secure over https). */
export function authOptions(): NextAuthOptions {
  if (baseOptions) return baseOptions;
  const e = env();
  baseOptions = {
    secret: e.NEXTAUTH_SECRET ?? (e.NODE_ENV === 'production' ? undefined : 'bulwark-development-secret-not-for-production'),
    providers: platformProviders(),
    session: { strategy: 'jwt', maxAge: 12 * 3600 },
    pages: { signIn: '/sign-in', error: '/sign-in' },
    // Its errors go to pino without their metadata (which can hold the IdP's claims) and into the sign-in audit.
    logger: nextAuthLogger,
    callbacks: {
      async jwt({ token, user, profile, account }) {
        if (account && profile && user) {
          const provider = user as unknown as ProviderUser;
          // The provider id says which connection this sign-in came through; its groups count only there.
          const connectionId = connectionIdFromProviderId(account.provider);
          noteSignInAssertion({ issuer: provider.issuer, subject: provider.id, email: provider.email });
          const synced = await completeSignIn({ issuer: provider.issuer, connectionId, profile: OidcProfileSchema.parse({ ...profile, groups: provider.groups }) })
            .catch((error: unknown) => { noteSignInResult({ error }); throw error; });
          noteSignInResult({ userId: synced.userId });
          token.userId = synced.userId;
          token.identityId = synced.identityId;
          token.sessionVersion = synced.sessionVersion;
          token.connectionId = connectionId;
          token.email = provider.email;
          token.name = provider.name;
          log.info({ userId: synced.userId, connectionId }, 'signed in');
        }
        return token;
      },
      // Same rule as the sign-in page: only a path on our own origin (lib/platform/auth/callback-url.ts).
      redirect({ url, baseUrl }) {
        return `${baseUrl}${safeCallbackPath(url, { base: baseUrl })}`;
      },
      async session({ session, token }) {
        const claims = TokenClaimsSchema.safeParse(token);
        return {
          ...session,
          user: {
            id: claims.success ? claims.data.userId : '', email: String(token.email ?? ''), name: typeof token.name === 'string' ? token.name : null,
            ...(claims.success ? { identityId: claims.data.identityId, sessionVersion: claims.data.sessionVersion, connectionId: claims.data.connectionId } : {}),
          },
        } satisfies Session;
      },
    },
  };
  return baseOptions;
}

/**
 * The options for one /api/auth request: the platform providers, plus the organization connection the path names
 * (/api/auth/signin/sso-<id>, /api/auth/callback/sso-<id>) when it exists and is enabled. Connections are read
 * from the database per request (cached a few seconds, invalidated on change: lib/services/sso/connection-cache.ts).
 */
export async function authOptionsForRequest(segments: readonly string[]): Promise<NextAuthOptions> {
  const base = authOptions();
  const connectionId = segments.length >= 2 ? connectionIdFromProviderId(segments[1] ?? '') : null;
  const connection = connectionId ? await findActiveConnection(connectionId) : null;
  return connection ? { ...base, providers: [...platformProviders(), connectionProvider(connection)] } : base;
}

/**
 * The signed-in session, or null. Checked on every request: the session's identity and version are still current
 * (lib/platform/auth/session-version.ts: unlinking, removal, locking end it), and a session that came through an
 * organization's connection ends when that connection is disabled or deleted.
 */
export async function auth(): Promise<Session | null> {
  const session = await getServerSession(authOptions());
  if (!session?.user.id) return null;
  const claims = SessionClaimsSchema.safeParse({ userId: session.user.id, identityId: session.user.identityId, sessionVersion: session.user.sessionVersion });
  if (!claims.success || !(await isSessionCurrent(claims.data))) return null;
  if (session.user.connectionId && !(await isConnectionActive(session.user.connectionId))) return null;
  return session;
}
