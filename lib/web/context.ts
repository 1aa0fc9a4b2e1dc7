import { cache } from 'react';
import { headers } from 'next/headers';
import { notFound, redirect } from 'next/navigation';
import { resolveMembership } from '../auth/membership';
import type { OrgContext } from '../auth/context';
import { requestMetaFrom } from '../auth/request-meta';
import { auth } from './auth';

async function requestMeta() {
  return requestMetaFrom(await headers());
}

/**
 * The organization context of a page or action, cached per request. Signed out: to sign-in. Not a member,
 * or no such organization: the same 404.
 */
export const requireOrgContext = cache(async (orgSlug: string): Promise<OrgContext> => {
  const session = await auth();
  if (!session) redirect(`/sign-in?callbackUrl=${encodeURIComponent(`/o/${orgSlug}`)}`);
  const ctx = await resolveMembership(session.user.id, orgSlug, await requestMeta());
  if (!ctx) notFound();
  return ctx;
});

export const requireSession = cache(async () => {
  const session = await auth();
  if (!session) redirect('/sign-in');
  return session;
});
