import { randomBytes } from 'node:crypto';
import { systemDb } from '../platform/db/tenant';
import type { Role } from '../platform/db/client';
import { systemContext, type OrgContext } from '../platform/auth/context';
import { createCluster, type CreateClusterInput } from '../services/clusters/create-cluster';
import { env } from '../platform/env';
import { devSubjectForEmail } from './identities';

/**
 * The one factory set for integration tests, the e2e fixtures (e2e/fixtures/orgs.ts) and the demo seed
 * (prisma/demo/seed-demo.ts): real rows, through the product's services where one exists. The same rules hold
 * everywhere: a person is a user with an identity at the dev IdP (an issuer, the subject the dev IdP gives their
 * email) and is found again by that identity, never by an email lookup (emails are not unique); an organization's
 * first member is the one who created it (BOOTSTRAP, by user id), the others joined through an invitation.
 */
export function uniqueSuffix(bytes = 4): string {
  return randomBytes(bytes).toString('hex');
}

type OrgRef = { id: string; slug: string };
type User = Awaited<ReturnType<typeof createUser>>;

/** A bare organization (no members) named `name`, its slug made from the name. */
export async function createOrg(name = `Org ${uniqueSuffix()}`) {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40);
  return systemDb().organization.create({ data: { name, slug } });
}

/**
 * The user who signs in at `issuer` (default the environment's OIDC_ISSUER, the platform IdP) as the dev IdP's
 * account for `email`: found by that identity, else created with it. `name` is only used when creating.
 */
export async function createUser(email = `user-${uniqueSuffix()}@example.test`, name: string | null = null, issuer = env().OIDC_ISSUER) {
  const found = await findDevUser(email, issuer);
  if (found) return found;
  return systemDb().user.create({ data: { email, name, identities: { create: { issuer, subject: devSubjectForEmail(email), email, emailVerified: true } } } });
}

/** The user who signs in at `issuer` as the dev IdP's account for `email`, or null: by identity, not by email. */
export async function findDevUser(email: string, issuer = env().OIDC_ISSUER) {
  const identity = await systemDb().userIdentity.findUnique({ where: { issuer_subject: { issuer, subject: devSubjectForEmail(email) } }, select: { user: true } });
  return identity?.user ?? null;
}

/** A member of `org` with `role`, and the OrgContext their requests would carry. */
export async function createMember(org: OrgRef, role: Role, email?: string): Promise<{ user: { id: string; email: string }; ctx: OrgContext }> {
  const user = await createUser(email ?? `${role.toLowerCase()}-${uniqueSuffix()}@example.test`);
  await systemDb().membership.create({ data: { organizationId: org.id, userId: user.id, role } });
  return {
    user,
    ctx: { organizationId: org.id, organizationSlug: org.slug, actor: { kind: 'user', userId: user.id, role, email: user.email, name: user.name } },
  };
}

/** The team `name` of the organization with these users in it (kept when they exist). */
export async function createTeam(organizationId: string, name: string, userIds: readonly string[] = []) {
  const db = systemDb();
  const team = await db.team.upsert({ where: { organizationId_name: { organizationId, name } }, create: { organizationId, name }, update: {} });
  for (const userId of userIds) {
    await db.teamMember.upsert({
      where: { organizationId_teamId_userId: { organizationId, teamId: team.id, userId } },
      create: { organizationId, teamId: team.id, userId }, update: {},
    });
  }
  return team;
}

export type MemberSpec = { email: string; role: Role; name?: string | null };
/** A team and its members, named by the email of a member of the same organization. */
export type TeamSpec = { name: string; members: readonly string[] };
export type OrganizationSpec = {
  slug: string;
  name: string;
  /** The first one created the organization; everyone else joined through an invitation. */
  members: readonly MemberSpec[];
  teams?: readonly TeamSpec[];
  /** The IdP the members' identities are at (default the environment's OIDC_ISSUER). */
  issuer?: string;
};

/**
 * An organization with its people and teams (see the file comment for the rules). Idempotent: the organization,
 * users, memberships and teams that exist are kept, and a membership's source is set again from its position.
 */
export async function seedOrganization(spec: OrganizationSpec) {
  const db = systemDb();
  const org = await db.organization.upsert({ where: { slug: spec.slug }, create: { slug: spec.slug, name: spec.name }, update: {} });
  const users = new Map<string, User>();
  for (const [index, member] of spec.members.entries()) {
    const user = await createUser(member.email, member.name ?? null, spec.issuer);
    // Only the first member created the organization (issue 18: the members page showed "Created the
    // organization" for all of them).
    const source = index === 0 ? 'BOOTSTRAP' : 'INVITATION';
    await db.membership.upsert({
      where: { organizationId_userId: { organizationId: org.id, userId: user.id } },
      create: { organizationId: org.id, userId: user.id, role: member.role, source },
      update: { source },
    });
    users.set(member.email, user);
  }
  for (const team of spec.teams ?? []) {
    const userIds = team.members.map((email) => {
      const user = users.get(email);
      if (!user) throw new Error(`team ${team.name} of ${spec.slug}: ${email} is not one of the organization's members`);
      return user.id;
    });
    await createTeam(org.id, team.name, userIds);
  }
  return { org, users };
}

/**
 * A cluster of `org` and its first agent token, through the product's service. `org` may be the context to
 * create it as (the demo's), else the system acts for the test.
 */
export async function createClusterWithToken(org: OrgRef | OrgContext, name = `cluster-${uniqueSuffix()}`, options: Omit<CreateClusterInput, 'name'> = {}) {
  const ctx = 'organizationId' in org ? org : systemContext(org.id, 'test', org.slug);
  const created = await createCluster(ctx, { name, ...options });
  return { cluster: created.cluster, token: created.token };
}
