import { afterAll, describe, expect, it } from 'vitest';
import { disconnectDb } from '../platform/db/client';
import { systemDb } from '../platform/db/tenant';
import { hashToken } from '../platform/auth/tokens';
import { devSubjectForEmail } from './identities';
import { createClusterWithToken, createUser, seedOrganization, uniqueSuffix } from './factories';

afterAll(() => disconnectDb());

const ISSUER = 'http://localhost:4999';

async function people(organizationId: string) {
  const rows = await systemDb().membership.findMany({ where: { organizationId }, select: { role: true, source: true, user: { select: { email: true, name: true } } } });
  return Object.fromEntries(rows.map((r) => [r.user.email, `${r.role} ${r.source} ${r.user.name}`]));
}

describe('the factory set tests, e2e fixtures and the demo seed share', () => {
  it('makes the first member the creator and the others invited, each signing in at the dev IdP as themselves, also when seeded again', async () => {
    const s = uniqueSuffix();
    const spec = {
      slug: `f-${s}`, name: `F ${s}`, issuer: ISSUER,
      members: [{ email: `auditor-${s}@f.test`, role: 'AUDITOR' as const, name: 'Ann' }, { email: `owner-${s}@f.test`, role: 'OWNER' as const, name: 'Olly' }],
      teams: [{ name: 'Platform', members: [`owner-${s}@f.test`] }],
    };
    const first = await seedOrganization(spec);
    const again = await seedOrganization(spec);
    expect(again.org.id).toBe(first.org.id);
    expect(await people(first.org.id)).toEqual({ [`auditor-${s}@f.test`]: 'AUDITOR BOOTSTRAP Ann', [`owner-${s}@f.test`]: 'OWNER INVITATION Olly' });
    const identities = await systemDb().userIdentity.findMany({ where: { email: { endsWith: `${s}@f.test` } }, select: { issuer: true, subject: true, email: true, emailVerified: true } });
    expect(identities.sort((a, b) => a.email.localeCompare(b.email))).toEqual([
      { issuer: ISSUER, subject: devSubjectForEmail(`auditor-${s}@f.test`), email: `auditor-${s}@f.test`, emailVerified: true },
      { issuer: ISSUER, subject: devSubjectForEmail(`owner-${s}@f.test`), email: `owner-${s}@f.test`, emailVerified: true },
    ]);
    const team = await systemDb().team.findFirstOrThrow({ where: { organizationId: first.org.id }, select: { name: true, members: { select: { userId: true } } } });
    expect(team).toEqual({ name: 'Platform', members: [{ userId: first.users.get(`owner-${s}@f.test`)?.id }] });
  });

  it('never takes someone for the owner by their email: another account asserting the address stays a stranger', async () => {
    const s = uniqueSuffix();
    const email = `owner-${s}@f.test`;
    // The same address, asserted earlier through another IdP (unverified).
    const stranger = await systemDb().user.create({ data: { email, identities: { create: { issuer: 'http://elsewhere.test', subject: 'someone', email, emailVerified: false } } } });
    const { org, users } = await seedOrganization({ slug: `f-${s}`, name: `F ${s}`, issuer: ISSUER, members: [{ email, role: 'OWNER' }] });
    expect(users.get(email)?.id).not.toBe(stranger.id);
    expect(await systemDb().membership.count({ where: { organizationId: org.id, userId: stranger.id } })).toBe(0);
    expect((await createUser(email, null, ISSUER)).id).toBe(users.get(email)?.id);
  });

  it('refuses a team member who is not a member of the organization, naming both', async () => {
    const s = uniqueSuffix();
    await expect(seedOrganization({ slug: `f-${s}`, name: `F ${s}`, issuer: ISSUER, members: [{ email: `a-${s}@f.test`, role: 'OWNER' }], teams: [{ name: 'SRE', members: [`b-${s}@f.test`] }] }))
      .rejects.toThrow(`team SRE of f-${s}: b-${s}@f.test is not one of the organization's members`);
  });

  it('creates a cluster with its agent token through the service, with the options given', async () => {
    const { org } = await seedOrganization({ slug: `f-${uniqueSuffix()}`, name: 'F', issuer: ISSUER, members: [] });
    const { cluster, token } = await createClusterWithToken(org, 'prod', { environment: 'PRODUCTION', reportingIntervalSeconds: 86_400 });
    expect(cluster).toMatchObject({ name: 'prod', environment: 'PRODUCTION', reportingIntervalSeconds: 86_400 });
    const stored = await systemDb().agentToken.findMany({ where: { clusterId: cluster.id }, select: { prefix: true, tokenHash: true, revokedAt: true } });
    expect(stored).toEqual([{ prefix: token.slice(0, 12), tokenHash: hashToken(token), revokedAt: null }]);
  });
});
