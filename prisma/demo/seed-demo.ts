import { systemDb } from '../../lib/db/tenant';
import type { Role } from '../../lib/db/client';
import { DEV_USERS } from '../../scripts/dev-idp-users';
import { createUser } from '../../lib/testing/factories';

type DemoOrg = { slug: string; name: string; members: { email: string; role: Role }[]; teams: { name: string; members: string[] }[]; groups: { group: string; role: Role }[] };

export const DEMO_ORGS: DemoOrg[] = [
  {
    slug: 'acme',
    name: 'Acme',
    members: [
      { email: 'owner@acme.test', role: 'OWNER' },
      { email: 'admin@acme.test', role: 'ADMIN' },
      { email: 'engineer@acme.test', role: 'MEMBER' },
      { email: 'auditor@acme.test', role: 'AUDITOR' },
      { email: 'viewer@acme.test', role: 'VIEWER' },
    ],
    teams: [{ name: 'Platform', members: ['engineer@acme.test', 'admin@acme.test'] }, { name: 'Payments', members: ['engineer@acme.test'] }],
    groups: [{ group: 'acme-auditors', role: 'AUDITOR' }],
  },
  {
    slug: 'globex',
    name: 'Globex',
    members: [{ email: 'admin@globex.test', role: 'OWNER' }],
    teams: [{ name: 'SRE', members: ['admin@globex.test'] }],
    groups: [],
  },
];

/**
 * Demo organizations, people and teams. Idempotent: existing rows are kept. (Clusters, snapshots and the
 * workflow history are added through the product's own paths by scripts/demo-history.ts.)
 */
export async function seedDemoOrganizations(): Promise<string> {
  const db = systemDb();
  for (const org of DEMO_ORGS) {
    const row = await db.organization.upsert({ where: { slug: org.slug }, create: { slug: org.slug, name: org.name }, update: {} });
    for (const [index, member] of org.members.entries()) {
      const dev = DEV_USERS.find((u) => u.email === member.email);
      const user = await createUser(member.email, dev?.name ?? null);
      // Only the first owner created the organization; everyone else joined through an invitation (issue 18:
      // the members page showed "Created the organization" for all of them).
      const source = index === 0 ? 'BOOTSTRAP' : 'INVITATION';
      await db.membership.upsert({
        where: { organizationId_userId: { organizationId: row.id, userId: user.id } },
        create: { organizationId: row.id, userId: user.id, role: member.role, source },
        update: { source },
      });
    }
    for (const team of org.teams) {
      const teamRow = await db.team.upsert({ where: { organizationId_name: { organizationId: row.id, name: team.name } }, create: { organizationId: row.id, name: team.name }, update: {} });
      for (const email of team.members) {
        const user = await db.user.findFirstOrThrow({ where: { email } });
        await db.teamMember.upsert({
          where: { organizationId_teamId_userId: { organizationId: row.id, teamId: teamRow.id, userId: user.id } },
          create: { organizationId: row.id, teamId: teamRow.id, userId: user.id }, update: {},
        });
      }
    }
    // Group mappings belong to an organization's own SSO connection (issue 15); the demo's connection and its
    // mappings are seeded with it.
    void org.groups;
  }
  return `${DEMO_ORGS.length} organizations (${DEMO_ORGS.map((o) => o.slug).join(', ')})`;
}
