import { cache } from 'react';
import { headers } from 'next/headers';
import { notFound, redirect } from 'next/navigation';
import { resolveSessionMembership, type SessionMembership } from '../platform/auth/membership';
import type { OrgContext } from '../platform/auth/context';
import { requestMetaFrom } from '../platform/auth/request-meta';
import { auth } from './auth';

/**
 * The signed-in session's membership in `orgSlug` (lib/platform/auth/membership.ts, with the organization's SSO
 * enforcement), carrying the request's client address and user agent; null when nobody is signed in. Pages,
 * server actions and API routes each answer "signed out", "not a member" and "SSO required" in their own way.
 */
export async function sessionMembership(orgSlug: string, requestHeaders: Headers): Promise<SessionMembership | null> {
  const session = await auth();
  if (!session) return null;
  return resolveSessionMembership({ userId: session.user.id, connectionId: session.user.connectionId ?? null }, orgSlug, requestMetaFrom(requestHeaders));
}

/**
 * The organization context of a page or action, cached per request. Signed out: to sign-in. Not a member,
 * or no such organization: the same 404. A member without the organization's required SSO: to /sso-required.
 */
export const requireOrgContext = cache(async (orgSlug: string): Promise<OrgContext> => {
  const result = await sessionMembership(orgSlug, await headers());
  if (!result) redirect(`/sign-in?callbackUrl=${encodeURIComponent(`/o/${orgSlug}`)}`);
  if (result.kind === 'not_found') notFound();
  // A member whose sign-in is not the organization's own SSO: a page that says why and offers the right one.
  if (result.kind === 'sso_required') redirect(`/sso-required/${encodeURIComponent(orgSlug)}`);
  return result.ctx;
});

export const requireSession = cache(async () => {
  const session = await auth();
  if (!session) redirect('/sign-in');
  return session;
});
