/**
 * The tenant the load runs against: one organization, its clusters (each with an agent token, through the same
 * service the UI uses) and its members. lib modules are imported lazily: lib/env reads DATABASE_URL on first
 * use, and scripts/load.ts sets it to the load database before calling anything here.
 */
import type { Role } from '../../lib/platform/db/client';

export type LoadCluster = { id: string; name: string; token: string; seed: number };
export type LoadUser = { id: string; email: string; name: string; role: Role; identityId: string };
export type LoadFixture = { organizationId: string; slug: string; clusters: LoadCluster[]; users: LoadUser[] };

export const LOAD_ORG_SLUG = 'load-test';

export async function seedLoadFixture(counts: { clusters: number; users: number }): Promise<LoadFixture & { catalog: string }> {
  const { seedCatalog } = await import('../../lib/services/catalog/seed-catalog');
  const { createOrganization } = await import('../../lib/services/orgs/create-organization');
  const { createCluster } = await import('../../lib/services/clusters/create-cluster');
  const { systemContext } = await import('../../lib/platform/auth/context');
  const { dbFor, systemDb } = await import('../../lib/platform/db/tenant');

  const catalog = await seedCatalog();
  // Users are global rows, created before the organization so the owner becomes a member at once.
  const { createUser } = await import('../../lib/testing/factories');
  const owner = await createUser('owner@load.test', 'Load owner');
  const org = await createOrganization({ name: 'Load test', slug: LOAD_ORG_SLUG, ownerEmail: owner.email, ownerUserId: owner.id });
  const ctx = systemContext(org.id, 'load', org.slug);

  const clusters: LoadCluster[] = [];
  for (let i = 0; i < counts.clusters; i++) {
    const name = `load-${String(i).padStart(3, '0')}`;
    const created = await createCluster(ctx, { name });
    clusters.push({ id: created.cluster.id, name, token: created.token, seed: i + 1 });
  }

  const users: LoadUser[] = [];
  for (let i = 0; i < counts.users; i++) {
    const role: Role = i % 2 === 0 ? 'VIEWER' : 'MEMBER';
    const email = `user-${String(i).padStart(2, '0')}@load.test`;
    const name = `Load user ${i}`;
    const user = await createUser(email, name);
    await dbFor(ctx).membership.create({ data: { organizationId: org.id, userId: user.id, role } });
    // The session names the identity it came from (lib/web/auth.ts checks it per request).
    const identity = await systemDb().userIdentity.findFirstOrThrow({ where: { userId: user.id }, select: { id: true } });
    users.push({ id: user.id, email, name, role, identityId: identity.id });
  }
  return {
    organizationId: org.id,
    slug: org.slug,
    clusters,
    users,
    catalog: `${catalog.controls} controls, ${catalog.requirements} requirements`,
  };
}
