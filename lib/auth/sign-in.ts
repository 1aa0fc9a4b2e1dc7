import { z } from 'zod';
import { systemDb, dbFor } from '../db/tenant';
import type { Role } from '../db/client';
import { writeAudit } from '../audit/write-audit';

export const OidcProfileSchema = z.object({
  sub: z.string().min(1),
  email: z.email(),
  name: z.string().nullish(),
  groups: z.array(z.string()).nullish(),
});
export type OidcProfile = z.infer<typeof OidcProfileSchema>;

const ROLE_RANK: Record<Role, number> = { OWNER: 5, ADMIN: 4, MEMBER: 3, AUDITOR: 2, VIEWER: 1 };

/**
 * Runs at every sign-in: creates the user on first sign-in, turns pending invitations into memberships, and
 * applies IdP group mappings (a mapped group grants its role in that organization; losing the group removes
 * a membership that came from it). Invitations and direct grants are never downgraded by group sync.
 */
export async function syncUserAtSignIn(issuer: string, profile: OidcProfile): Promise<{ userId: string }> {
  const email = profile.email.toLowerCase();
  const groups = profile.groups ?? [];
  const db = systemDb(); // crosses tenants on purpose: a sign-in may touch memberships in several orgs
  const user = await db.user.upsert({
    where: { email },
    create: { email, name: profile.name ?? null, oidcIssuer: issuer, oidcSubject: profile.sub, lastSignInAt: new Date() },
    update: { name: profile.name ?? undefined, oidcIssuer: issuer, oidcSubject: profile.sub, lastSignInAt: new Date() },
  });

  const invitations = await db.invitation.findMany({ where: { email, acceptedAt: null } });
  for (const invitation of invitations) {
    const ctx = { organizationId: invitation.organizationId, organizationSlug: '', actor: { kind: 'user' as const, userId: user.id, role: invitation.role, email, name: user.name } };
    await dbFor(ctx).$transaction(async (tx) => {
      const existing = await tx.membership.findFirst({ where: { userId: user.id } });
      if (!existing) await tx.membership.create({ data: { organizationId: invitation.organizationId, userId: user.id, role: invitation.role, source: 'INVITATION' } });
      await tx.invitation.update({ where: { id: invitation.id }, data: { acceptedAt: new Date() } });
      await writeAudit(tx, ctx, { action: 'invitation.accepted', targetType: 'Invitation', targetId: invitation.id, after: { email, role: invitation.role } });
    });
  }

  const mappings = groups.length ? await db.idpGroupMapping.findMany({ where: { group: { in: groups } } }) : [];
  const wanted = new Map<string, Role>();
  for (const mapping of mappings) {
    const current = wanted.get(mapping.organizationId);
    if (!current || ROLE_RANK[mapping.role] > ROLE_RANK[current]) wanted.set(mapping.organizationId, mapping.role);
  }
  const memberships = await db.membership.findMany({ where: { userId: user.id } });
  for (const [organizationId, role] of wanted) {
    const existing = memberships.find((m) => m.organizationId === organizationId);
    const ctx = { organizationId, organizationSlug: '', actor: { kind: 'system' as const, reason: 'idp-group-sync' } };
    if (!existing) {
      await dbFor(ctx).$transaction(async (tx) => {
        await tx.membership.create({ data: { organizationId, userId: user.id, role, source: 'IDP_GROUP' } });
        await writeAudit(tx, ctx, { action: 'membership.granted_by_idp_group', targetType: 'User', targetId: user.id, after: { email, role } });
      });
    } else if (existing.source === 'IDP_GROUP' && existing.role !== role) {
      await dbFor(ctx).$transaction(async (tx) => {
        await tx.membership.update({ where: { id: existing.id }, data: { role } });
        await writeAudit(tx, ctx, { action: 'membership.role_synced_from_idp', targetType: 'User', targetId: user.id, before: { role: existing.role }, after: { role } });
      });
    }
  }
  for (const membership of memberships) {
    if (membership.source !== 'IDP_GROUP' || wanted.has(membership.organizationId)) continue;
    const ctx = { organizationId: membership.organizationId, organizationSlug: '', actor: { kind: 'system' as const, reason: 'idp-group-sync' } };
    await dbFor(ctx).$transaction(async (tx) => {
      await tx.membership.delete({ where: { id: membership.id } });
      await writeAudit(tx, ctx, { action: 'membership.revoked_by_idp_group', targetType: 'User', targetId: user.id, before: { email, role: membership.role } });
    });
  }
  return { userId: user.id };
}
