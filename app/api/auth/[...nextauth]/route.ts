import NextAuth from 'next-auth';
import { authOptionsForRequest, platformProviderInfo } from '@/lib/web/auth';
import { withSignInAttempt } from '@/lib/web/sign-in-attempt';
import { consumeRateLimit } from '@/lib/platform/rate-limit';
import { errorResponse } from '@/lib/web/respond';
import { env } from '@/lib/platform/env';
import { rateLimitClientKey } from '@/lib/platform/auth/request-meta';

export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ nextauth: string[] }> };

/**
 * Options per request: an organization's connection (sso-<id> in the path) is read from the database. Each OAuth
 * callback (a sign-in coming back from its IdP) is recorded in the audit log, succeeded or refused.
 */
async function handle(request: Request, context: Context) {
  const { nextauth } = await context.params;
  const options = await authOptionsForRequest(nextauth);
  return withSignInAttempt(nextauth, request, platformProviderInfo, () => NextAuth(options)(request, context));
}

export const GET = handle;

/**
 * Sign-in and callback posts are rate limited per client address, so credential stuffing through us is slow. The
 * address is known only behind TRUSTED_PROXIES (lib/platform/auth/request-meta.ts); without it there is no per-client limit
 * rather than one bucket that any single client could empty for everyone.
 */
export async function POST(request: Request, context: Context) {
  try {
    const client = rateLimitClientKey(request.headers);
    if (client) await consumeRateLimit('signin', client, env().SIGNIN_RATE_LIMIT_PER_MINUTE, 60);
  } catch (error) {
    return errorResponse(error);
  }
  return handle(request, context);
}
