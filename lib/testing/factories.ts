import { randomBytes } from 'node:crypto';
import { systemDb } from '../platform/db/tenant';
import type { Role } from '../platform/db/client';
import { systemContext, type OrgContext } from '../platform/auth/context';
import { createCluster } from '../services/clusters/create-cluster';
import { env } from '../platform/env';
import { devSubjectForEmail } from './identities';

/** Factories for tests and the demo seed: real rows through the same services where one exists. */
export function uniqueSuffix(): string {
  return randomBytes(4).toString('hex');
}

export async function createOrg(name = `Org ${uniqueSuffix()}`) {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40);
  return systemDb().organization.create({ data: { name, slug } });
}

/**
 * The user with this email, created when missing with an identity at the platform IdP (`issuer`, default the
 * environment's OIDC_ISSUER) whose subject is the one the dev IdP gives that email, so they can sign in.
 */
export async function createUser(email = `user-${uniqueSuffix()}@example.test`, name: string | null = null, issuer = env().OIDC_ISSUER) {
  const db = systemDb();
  const existing = await db.user.findFirst({ where: { email }, orderBy: { createdAt: 'asc' } });
  if (existing) return existing;
  return db.user.create({
    data: { email, name, identities: { create: { issuer, subject: devSubjectForEmail(email), email, emailVerified: true } } },
  });
}

/** A member of `org` with `role`, and the OrgContext their requests would carry. */
export async function createMember(org: { id: string; slug: string }, role: Role, email?: string): Promise<{ user: { id: string; email: string }; ctx: OrgContext }> {
  const user = await createUser(email ?? `${role.toLowerCase()}-${uniqueSuffix()}@example.test`);
  await systemDb().membership.create({ data: { organizationId: org.id, userId: user.id, role } });
  return {
    user,
    ctx: { organizationId: org.id, organizationSlug: org.slug, actor: { kind: 'user', userId: user.id, role, email: user.email, name: user.name } },
  };
}

export async function createClusterWithToken(org: { id: string; slug: string }, name = `cluster-${uniqueSuffix()}`) {
  const created = await createCluster(systemContext(org.id, 'test', org.slug), { name });
  return { cluster: created.cluster, token: created.token };
}
