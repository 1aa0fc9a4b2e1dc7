import { afterAll, describe, expect, it } from 'vitest';
import { disconnectDb } from '../../lib/platform/db/client';
import { systemDb } from '../../lib/platform/db/tenant';
import { env } from '../../lib/platform/env';
import { devSubjectForEmail } from '../../lib/testing/identities';
import { seedDemoOrganizations } from './seed-demo';

afterAll(() => disconnectDb());

describe('the demo organizations', () => {
  it('say who created each organization and that everyone else joined through an invitation (issue 18), also when seeded again', async () => {
    await seedDemoOrganizations();
    await seedDemoOrganizations();
    const rows = await systemDb().membership.findMany({
      where: { organization: { slug: { in: ['acme', 'globex'] } } },
      select: { source: true, organization: { select: { slug: true } }, user: { select: { email: true } } },
    });
    const joined = Object.fromEntries(rows.map((r) => [`${r.organization.slug}:${r.user.email}`, r.source]));
    expect(joined).toMatchObject({ 'acme:owner@acme.test': 'BOOTSTRAP', 'acme:admin@acme.test': 'INVITATION', 'acme:viewer@acme.test': 'INVITATION', 'globex:admin@globex.test': 'BOOTSTRAP' });
    expect(rows.filter((r) => r.source === 'BOOTSTRAP').map((r) => r.organization.slug).sort()).toEqual(['acme', 'globex']);
  });

  it('are the people, roles and teams the demo and the e2e per-role journey sign in as, each with their identity at the platform IdP', async () => {
    await seedDemoOrganizations();
    const db = systemDb();
    const memberships = await db.membership.findMany({ select: { role: true, organization: { select: { slug: true } }, user: { select: { email: true, name: true, identities: { select: { issuer: true, subject: true } } } } } });
    expect(Object.fromEntries(memberships.map((m) => [m.user.email, `${m.organization.slug} ${m.role} ${m.user.name}`]))).toEqual({
      'owner@acme.test': 'acme OWNER Olivia Owner', 'admin@acme.test': 'acme ADMIN Adam Admin', 'engineer@acme.test': 'acme MEMBER Erin Engineer',
      'auditor@acme.test': 'acme AUDITOR Aria Auditor', 'viewer@acme.test': 'acme VIEWER Victor Viewer', 'admin@globex.test': 'globex OWNER Gloria Globex',
    });
    for (const m of memberships) expect(m.user.identities).toEqual([{ issuer: env().OIDC_ISSUER, subject: devSubjectForEmail(m.user.email) }]);
    const teams = await db.team.findMany({ select: { name: true, organization: { select: { slug: true } }, members: { select: { user: { select: { email: true } } } } } });
    expect(Object.fromEntries(teams.map((t) => [`${t.organization.slug}:${t.name}`, t.members.map((m) => m.user.email).sort()]))).toEqual({
      'acme:Platform': ['admin@acme.test', 'engineer@acme.test'], 'acme:Payments': ['engineer@acme.test'], 'globex:SRE': ['admin@globex.test'],
    });
    expect(await db.idpGroupMapping.findMany({ select: { group: true, role: true }, orderBy: { group: 'asc' } })).toEqual([{ group: 'acme-auditors', role: 'AUDITOR' }, { group: 'acme-viewers', role: 'VIEWER' }]);
  });
});
