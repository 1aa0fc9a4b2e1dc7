import { systemDb } from '../../lib/platform/db/tenant';
import type { Role } from '../../lib/platform/db/client';
import { DEV_USERS } from '../../scripts/dev-idp-users';
import { seedOrganization, type MemberSpec, type OrganizationSpec } from '../../lib/testing/factories';
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

/** A demo account (scripts/dev-idp-users.ts) with its role in one organization. */
function person(email: string, role: Role): MemberSpec {
  const dev = DEV_USERS.find((u) => u.email === email);
  if (!dev) throw new Error(`${email} is not a dev IdP account (scripts/dev-idp-users.ts)`);
  return { email, role, name: dev.name };
}

export const DEMO_ORGS: readonly OrganizationSpec[] = [
  {
    slug: 'acme',
    name: 'Acme',
    members: [
      person('owner@acme.test', 'OWNER'),
      person('admin@acme.test', 'ADMIN'),
      person('engineer@acme.test', 'MEMBER'),
      person('auditor@acme.test', 'AUDITOR'),
      person('viewer@acme.test', 'VIEWER'),
    ],
    teams: [{ name: 'Platform', members: ['engineer@acme.test', 'admin@acme.test'] }, { name: 'Payments', members: ['engineer@acme.test'] }],
  },
  {
    slug: 'globex',
    name: 'Globex',
    members: [person('admin@globex.test', 'OWNER')],
    teams: [{ name: 'SRE', members: ['admin@globex.test'] }],
  },
];

/** Acme's IdP groups and the roles they grant (Globex has none). */
const ACME_GROUPS: { group: string; role: Role }[] = [{ group: 'acme-auditors', role: 'AUDITOR' }, { group: 'acme-viewers', role: 'VIEWER' }];

/**
 * Demo organizations, people and teams, made by the test factories' seedOrganization (lib/testing/factories.ts),
 * plus Acme's SSO connection. Idempotent: existing rows are kept. (Clusters, snapshots and the workflow history
 * are added through the product's own paths by scripts/demo-history.ts.)
 */
export async function seedDemoOrganizations(): Promise<string> {
  for (const spec of DEMO_ORGS) {
    const { org } = await seedOrganization(spec);
    if (org.slug === 'acme') await seedAcmeSso(org.id, ACME_GROUPS);
  }
  return `${DEMO_ORGS.length} organizations (${DEMO_ORGS.map((o) => o.slug).join(', ')})`;
}

/** Acme's SSO connection (secret sealed like any other), its verified domain acme.test, and its group mappings. */
async function seedAcmeSso(organizationId: string, groups: readonly { group: string; role: Role }[]): Promise<void> {
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
