import { systemDb } from '../db/tenant';
import type { OrgContext } from './context';

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
  return {
    organizationId: membership.organizationId,
    organizationSlug: orgSlug,
    actor: { kind: 'user', userId, role: membership.role, email: membership.user.email, name: membership.user.name },
    ip: request?.ip ?? null,
    userAgent: request?.userAgent ?? null,
  };
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
