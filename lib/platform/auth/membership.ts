import { systemDb } from '../db/tenant';
import { userContext, type OrgContext } from './context';

/**
 * The membership of a user in an organization, as an OrgContext; null for a non-member and for an
 * organization that doesn't exist, so callers answer both with the same 404.
 */
export async function resolveMembership(userId: string, orgSlug: string, request?: { ip?: string | null; userAgent?: string | null }): Promise<OrgContext | null> {
  const membership = await systemDb().membership.findFirst({
    where: { userId, organization: { slug: orgSlug } },
    select: { role: true, organizationId: true, user: { select: { email: true, name: true } } },
  });
  if (!membership) return null;
  return userContext({ id: membership.organizationId, slug: orgSlug }, { userId, ...membership.user }, membership.role, request ?? {});
}

/** The session a request carries: who, and through which SSO connection they signed in (null: the platform IdP). */
export type SessionIdentity = { userId: string; connectionId: string | null };

export type SessionMembership =
  | { kind: 'member'; ctx: OrgContext }
  | { kind: 'not_found' }
  | { kind: 'sso_required'; organizationName: string; connections: { id: string; name: string }[] };

/**
 * resolveMembership for a signed-in session, with the organization's SSO enforcement: when it is on, a member
 * reaches the organization only with a session from one of its own enabled connections, except the break-glass
 * owner. A non-member learns nothing (not_found), whatever the organization enforces.
 */
export async function resolveSessionMembership(session: SessionIdentity, orgSlug: string, request?: { ip?: string | null; userAgent?: string | null }): Promise<SessionMembership> {
  const ctx = await resolveMembership(session.userId, orgSlug, request);
  if (!ctx) return { kind: 'not_found' };
  const org = await systemDb().organization.findUniqueOrThrow({
    where: { id: ctx.organizationId },
    select: { name: true, ssoEnforced: true, ssoBreakGlassUserId: true, ssoConnections: { where: { enabled: true }, select: { id: true, name: true }, orderBy: { createdAt: 'asc' } } },
  });
  if (!org.ssoEnforced) return { kind: 'member', ctx };
  if (ctx.actor.kind === 'user' && ctx.actor.role === 'OWNER' && org.ssoBreakGlassUserId === session.userId) return { kind: 'member', ctx };
  if (session.connectionId && org.ssoConnections.some((c) => c.id === session.connectionId)) return { kind: 'member', ctx };
  return { kind: 'sso_required', organizationName: org.name, connections: org.ssoConnections };
}

/** The refusal an action or API request gets when the organization requires its own single sign-on. */
export function ssoRequiredMessage(result: { organizationName: string; connections: { name: string }[] }): string {
  const via = result.connections.map((c) => c.name).join(' or ') || 'its identity provider';
  return `${result.organizationName} requires single sign-on: sign out and sign in through ${via}`;
}

/** The organizations a user can open, for the switcher and the landing redirect. */
export async function listUserOrganizations(userId: string) {
  const rows = await systemDb().membership.findMany({
    where: { userId },
    select: { role: true, organization: { select: { slug: true, name: true } } },
    orderBy: { organization: { name: 'asc' } },
  });
  return rows.map((row) => ({ slug: row.organization.slug, name: row.organization.name, role: row.role }));
}
