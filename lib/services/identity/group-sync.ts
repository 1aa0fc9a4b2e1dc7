import { systemDb, dbFor } from '../../platform/db/tenant';
import type { Role } from '../../platform/db/client';
import { systemContext } from '../../platform/auth/context';
import { writeAudit } from '../audit/write-audit';

const ROLE_RANK: Record<Role, number> = { OWNER: 5, ADMIN: 4, MEMBER: 3, AUDITOR: 2, VIEWER: 1 };

/** The claim named `path` ("groups", or nested like Keycloak's "realm_access.roles"), as a list of strings. */
export function readGroupClaim(claims: Record<string, unknown>, path: string): string[] {
  let value: unknown = claims[path];
  if (value === undefined && path.includes('.')) {
    value = path.split('.').reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), claims);
  }
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/**
 * Applies the group mappings of the connection a sign-in came through, in that connection's organization only:
 * a mapped group grants its role (the highest, if several match); with no mapped group left, a membership that
 * came from a group is removed. A sign-in through the platform IdP (connectionId null) touches no membership: its
 * groups belong to no organization. Invitations and direct grants are never changed by group sync.
 */
export async function syncGroupMemberships(input: { userId: string; email: string; connectionId: string | null; groups: readonly string[] }): Promise<void> {
  if (!input.connectionId) return;
  const db = systemDb(); // crosses tenants on purpose: the connection names its organization
  const connection = await db.ssoConnection.findUnique({ where: { id: input.connectionId }, select: { organizationId: true } });
  if (!connection) return;
  const { organizationId } = connection;
  const mappings = input.groups.length
    ? await db.idpGroupMapping.findMany({ where: { organizationId, connectionId: input.connectionId, group: { in: [...input.groups] } }, select: { role: true } })
    : [];
  const wanted = mappings.reduce<Role | null>((best, m) => (!best || ROLE_RANK[m.role] > ROLE_RANK[best] ? m.role : best), null);
  const ctx = systemContext(organizationId, 'idp-group-sync');
  await dbFor(ctx).$transaction(async (tx) => {
    const existing = await tx.membership.findFirst({ where: { userId: input.userId } });
    if (wanted && !existing) {
      await tx.membership.create({ data: { organizationId, userId: input.userId, role: wanted, source: 'IDP_GROUP' } });
      await writeAudit(tx, ctx, { action: 'membership.granted_by_idp_group', targetType: 'User', targetId: input.userId, after: { email: input.email, role: wanted } });
    } else if (wanted && existing?.source === 'IDP_GROUP' && existing.role !== wanted) {
      await tx.membership.update({ where: { id: existing.id }, data: { role: wanted } });
      await writeAudit(tx, ctx, { action: 'membership.role_synced_from_idp', targetType: 'User', targetId: input.userId, before: { role: existing.role }, after: { role: wanted } });
    } else if (!wanted && existing?.source === 'IDP_GROUP') {
      await tx.membership.delete({ where: { id: existing.id } });
      await writeAudit(tx, ctx, { action: 'membership.revoked_by_idp_group', targetType: 'User', targetId: input.userId, before: { email: input.email, role: existing.role } });
    }
    // The groups this sign-in asserted, kept on the membership (whatever granted it): an access review refuses a
    // reviewer their own access through a Kubernetes Group subject of one of these (issue 22).
    await tx.membership.updateMany({ where: { userId: input.userId }, data: { idpGroups: [...new Set(input.groups)].slice(0, 500).map((group) => group.slice(0, 256)) } });
  });
}
