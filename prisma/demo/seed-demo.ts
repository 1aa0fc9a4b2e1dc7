import { systemDb } from '../../lib/platform/db/tenant';
import type { Role } from '../../lib/platform/db/client';
import { DEV_USERS } from '../../scripts/dev-idp-users';
import { createUser } from '../../lib/testing/factories';
import { z } from 'zod';
import { seal } from '../../lib/platform/auth/secret-box';
import { discoveryFor } from '../../lib/testing/sso';

/**
 * Acme signs in through its own IdP: the dev IdP started a second time with Acme's accounts (`npm run idp -- --port
 * 4011 --users acme`), registered as Acme's SSO connection with a fixed id so that IdP can list its redirect URI
 * (<APP_URL>/api/auth/callback/sso-<id>). acme.test is Acme's verified domain, routed to it. Globex stays on the
 * platform IdP. The values are the demo's and the e2e stack's (scripts/demo.sh, e2e/fixtures/env.ts).
 */
export const ACME_SSO_CONNECTION_ID = 'acacacac-0000-4000-8000-000000000001';
export const AcmeIdpEnvSchema = z.object({
  ACME_IDP_ISSUER: z.url().default('http://localhost:4011'),
  ACME_IDP_CLIENT_ID: z.string().min(1).default('acme-bulwark'),
  ACME_IDP_CLIENT_SECRET: z.string().min(1).default('acme-demo-client-secret'),
});

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
    groups: [{ group: 'acme-auditors', role: 'AUDITOR' }, { group: 'acme-viewers', role: 'VIEWER' }],
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
    if (org.slug === 'acme') await seedAcmeSso(row.id, org.groups);
  }
  return `${DEMO_ORGS.length} organizations (${DEMO_ORGS.map((o) => o.slug).join(', ')})`;
}

/** Acme's SSO connection (secret sealed like any other), its verified domain acme.test, and its group mappings. */
async function seedAcmeSso(organizationId: string, groups: DemoOrg['groups']): Promise<void> {
  const db = systemDb();
  const idp = AcmeIdpEnvSchema.parse(process.env);
  const sealed = seal(idp.ACME_IDP_CLIENT_SECRET, ACME_SSO_CONNECTION_ID);
  // The dev IdP is not running while the seed runs: the discovery document is the one it serves (oidc-provider's paths).
  const fields = {
    name: 'Acme SSO', issuer: idp.ACME_IDP_ISSUER, clientId: idp.ACME_IDP_CLIENT_ID, clientSecretCiphertext: sealed.ciphertext, clientSecretKeyId: sealed.keyId,
    scopes: 'openid email profile groups', groupClaim: 'groups', enabled: true, discovery: discoveryFor(idp.ACME_IDP_ISSUER),
  };
  await db.ssoConnection.upsert({ where: { id: ACME_SSO_CONNECTION_ID }, create: { id: ACME_SSO_CONNECTION_ID, organizationId, ...fields }, update: {} });
  await db.verifiedDomain.upsert({
    where: { organizationId_domain: { organizationId, domain: 'acme.test' } },
    create: { organizationId, domain: 'acme.test', verificationToken: 'seeded-demo-domain', verifiedAt: new Date(), connectionId: ACME_SSO_CONNECTION_ID },
    update: {},
  });
  for (const mapping of groups) {
    await db.idpGroupMapping.upsert({
      where: { organizationId_connectionId_group: { organizationId, connectionId: ACME_SSO_CONNECTION_ID, group: mapping.group } },
      create: { organizationId, connectionId: ACME_SSO_CONNECTION_ID, group: mapping.group, role: mapping.role }, update: {},
    });
  }
}
