import { cookies } from 'next/headers';
import { z } from 'zod';
import { env } from '../platform/env';
import { systemDb } from '../platform/db/tenant';
import { syncUserAtSignIn, type SignInAssertion } from '../services/identity/sign-in';
import { startIdentityLink } from '../services/identity/identities';
import { auth } from './auth';

/**
 * The session glue of issue 15's identity work, for lib/web/auth.ts (owned by the SSO work) to call:
 * - its jwt callback calls `completeSignIn(assertion)` instead of syncUserAtSignIn, and stores the result's
 *   `identityId` and `sessionVersion` (and the assertion's `connectionId`) in the token and in `session.user`;
 * - its auth() refuses a session for which lib/platform/auth/session-version.ts's `isSessionCurrent(...)` is false.
 */

/** Not `_session`-like: the dev IdP shares localhost cookies with the app (STACK-NOTES). */
const LINK_INTENT_COOKIE = 'bulwark-link-intent';

/** Sets "Link another sign-in" up for this browser: the next sign-in attaches its identity to `userId`. */
export async function beginIdentityLink(userId: string): Promise<void> {
  const { token, expiresAt } = await startIdentityLink(userId);
  (await cookies()).set(LINK_INTENT_COOKIE, token, {
    httpOnly: true, sameSite: 'lax', path: '/', expires: expiresAt, secure: env().APP_URL.startsWith('https:'),
  });
}

/**
 * The sign-in step of next-auth's jwt callback: syncUserAtSignIn with this browser's link intent, if any (the
 * intent is single use in the database; the cookie is cleared as a courtesy).
 */
export async function completeSignIn(assertion: SignInAssertion): Promise<{ userId: string; identityId: string; sessionVersion: number }> {
  const jar = await cookies();
  const linkToken = jar.get(LINK_INTENT_COOKIE)?.value ?? null;
  const result = await syncUserAtSignIn({ ...assertion, linkToken });
  if (linkToken) {
    try { jar.delete(LINK_INTENT_COOKIE); } catch { /* read-only outside a route handler or action: it expires by itself */ }
  }
  return result;
}

const SessionUserSchema = z.object({ id: z.uuid(), identityId: z.uuid().optional() });

/**
 * Who is signed in and through which identity, for decisions that depend on the sign-in itself (accepting an
 * invitation, marking the current sign-in). Sessions issued before the jwt callback stored `identityId` fall
 * back to the identity the user signed in with most recently.
 */
export async function currentSignIn(): Promise<{ userId: string; identityId: string; email: string } | null> {
  const session = await auth();
  if (!session) return null;
  const parsed = SessionUserSchema.safeParse(session.user);
  if (!parsed.success) return null;
  const identityId = parsed.data.identityId ?? (await systemDb().userIdentity.findFirst({
    where: { userId: parsed.data.id }, orderBy: [{ lastSignInAt: { sort: 'desc', nulls: 'last' } }, { createdAt: 'desc' }], select: { id: true },
  }))?.id;
  return identityId ? { userId: parsed.data.id, identityId, email: session.user.email } : null;
}
