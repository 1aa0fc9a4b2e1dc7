import { z } from 'zod';
import { systemDb, dbFor } from '../db/tenant';
import type { Role } from '../db/client';
import { writeAudit } from '../audit/write-audit';
import { resolveIdentityAtSignIn } from './identities';

export const OidcProfileSchema = z.object({
  sub: z.string().min(1),
  email: z.email(),
  /** Only `true` counts: missing or false means the IdP does not vouch for the address. */
  email_verified: z.boolean().nullish(),
  name: z.string().nullish(),
  groups: z.array(z.string()).nullish(),
});
export type OidcProfile = z.infer<typeof OidcProfileSchema>;

/** Who the IdP says signed in, and through which connection (null: the platform IdP from the environment). */
export type SignInAssertion = { issuer: string; connectionId: string | null; profile: OidcProfile };

const ROLE_RANK: Record<Role, number> = { OWNER: 5, ADMIN: 4, MEMBER: 3, AUDITOR: 2, VIEWER: 1 };

/**
 * Runs at every sign-in. The user is found by the identity (issuer, subject), never by email: a new identity
 * is a new user, whatever address it asserts, unless the user linked it explicitly (`linkToken`, "Link another
 * sign-in") or the verified-domain rule holds (lib/auth/identities.ts). Pending invitations grant nothing here:
 * they are accepted by an explicit click on the link (lib/orgs/invitations.ts). Then IdP group mappings of the
 * connection the session came through are applied (a mapped group grants its role in that organization; losing
 * the group removes a membership that came from it). Invitations and direct grants are never downgraded by
 * group sync.
 */
export async function syncUserAtSignIn(assertion: SignInAssertion & { linkToken?: string | null }): Promise<{ userId: string; identityId: string; sessionVersion: number }> {
  const { connectionId, profile } = assertion;
  const email = profile.email.toLowerCase();
  const groups = profile.groups ?? [];
  const db = systemDb(); // crosses tenants on purpose: a sign-in may touch memberships in several orgs
  const identity = await resolveIdentityAtSignIn(assertion, { linkToken: assertion.linkToken ?? null });
  const user = { id: identity.userId };

  // A group claim counts only on the connection that issued it: the platform IdP's groups map to nothing.
  const mappings = groups.length && connectionId ? await db.idpGroupMapping.findMany({ where: { connectionId, group: { in: groups } } }) : [];
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
  return { userId: identity.userId, identityId: identity.identityId, sessionVersion: identity.sessionVersion };
}
