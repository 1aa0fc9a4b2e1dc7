import type { NextAuthOptions, Session } from 'next-auth';
import { getServerSession } from 'next-auth';
import type { OAuthConfig } from 'next-auth/providers/oauth';
import { z } from 'zod';
import { env } from '../env';
import { OidcProfileSchema, syncUserAtSignIn, type OidcProfile } from '../auth/sign-in';
import { logger } from '../log';
import { safeCallbackPath } from '../auth/callback-url';

const log = logger.child({ component: 'auth' });

const ExtraProvidersSchema = z.array(z.object({
  id: z.string().regex(/^[a-z0-9-]+$/), name: z.string(), issuer: z.url(), clientId: z.string(), clientSecret: z.string(),
}));

type ProviderUser = { id: string; email: string; name: string | null; groups: string[]; issuer: string };

function oidcProvider(id: string, name: string, issuer: string, clientId: string, clientSecret: string): OAuthConfig<OidcProfile> {
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
      const user: ProviderUser = { id: profile.sub, email: profile.email.toLowerCase(), name: profile.name ?? null, groups: profile.groups ?? [], issuer };
      return user;
    },
  };
}

function providers(): OAuthConfig<OidcProfile>[] {
  const e = env();
  const list = [oidcProvider('oidc', e.OIDC_PROVIDER_NAME, e.OIDC_ISSUER, e.OIDC_CLIENT_ID, e.OIDC_CLIENT_SECRET)];
  if (e.OIDC_EXTRA_PROVIDERS) {
    for (const p of ExtraProvidersSchema.parse(JSON.parse(e.OIDC_EXTRA_PROVIDERS))) list.push(oidcProvider(p.id, p.name, p.issuer, p.clientId, p.clientSecret));
  }
  return list;
}

declare module 'next-auth' {
  interface Session { user: { id: string; email: string; name: string | null } }
}

let cached: NextAuthOptions | undefined;

/** next-auth with OpenID Connect; sessions are signed JWT cookies (HttpOnly, SameSite=Lax, Secure over https). */
export function authOptions(): NextAuthOptions {
  if (cached) return cached;
  const e = env();
  cached = {
    secret: e.NEXTAUTH_SECRET ?? (e.NODE_ENV === 'production' ? undefined : 'bulwark-development-secret-not-for-production'),
    providers: providers(),
    session: { strategy: 'jwt', maxAge: 12 * 3600 },
    pages: { signIn: '/sign-in', error: '/sign-in' },
    callbacks: {
      async jwt({ token, user, profile, account }) {
        if (account && profile && user) {
          const provider = user as unknown as ProviderUser;
          const synced = await syncUserAtSignIn({ issuer: provider.issuer, connectionId: null, profile: OidcProfileSchema.parse(profile) });
          token.userId = synced.userId;
          token.email = provider.email;
          token.name = provider.name;
          log.info({ userId: synced.userId }, 'signed in');
        }
        return token;
      },
      // Same rule as the sign-in page: only a path on our own origin (lib/auth/callback-url.ts).
      redirect({ url, baseUrl }) {
        return `${baseUrl}${safeCallbackPath(url, { base: baseUrl })}`;
      },
      async session({ session, token }) {
        const userId = typeof token.userId === 'string' ? token.userId : '';
        return { ...session, user: { id: userId, email: String(token.email ?? ''), name: typeof token.name === 'string' ? token.name : null } } satisfies Session;
      },
    },
  };
  return cached;
}

export async function auth(): Promise<Session | null> {
  const session = await getServerSession(authOptions());
  return session?.user.id ? session : null;
}
