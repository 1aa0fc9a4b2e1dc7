import { cache } from 'react';
import { headers } from 'next/headers';
import { notFound, redirect } from 'next/navigation';
import { resolveSessionMembership } from '../platform/auth/membership';
import type { OrgContext } from '../platform/auth/context';
import { requestMetaFrom } from '../platform/auth/request-meta';
import { auth } from './auth';

async function requestMeta() {
  return requestMetaFrom(await headers());
}

/**
 * The organization context of a page or action, cached per request. Signed out: to sign-in. Not a member,
 * or no such organization: the same 404. A member without the organization's required SSO: to /sso-required.
 */
export const requireOrgContext = cache(async (orgSlug: string): Promise<OrgContext> => {
  const session = await auth();
  if (!session) redirect(`/sign-in?callbackUrl=${encodeURIComponent(`/o/${orgSlug}`)}`);
  const result = await resolveSessionMembership({ userId: session.user.id, connectionId: session.user.connectionId ?? null }, orgSlug, await requestMeta());
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
