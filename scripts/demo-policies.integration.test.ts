import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext, type OrgContext } from '../lib/platform/auth/context';
import { seedCatalog } from '../lib/services/catalog/seed-catalog';
import { disconnectDb } from '../lib/platform/db/client';
import { findOrganizationBySlug } from '../lib/services/orgs/create-organization';
import { closeProducers } from '../lib/platform/queue/producers';
import { listCustomControls } from '../lib/services/policies/custom-controls';
import { listOrgFrameworks } from '../lib/services/policies/org-frameworks';
import { seedDemoOrganizations } from '../prisma/demo/seed-demo';
import { loadDemoPolicies } from './demo-policies';
import { loadDemoHistory } from './demo-history';

let acme: OrgContext;

beforeAll(async () => {
  await seedCatalog();
  await seedDemoOrganizations();
  expect(await loadDemoPolicies(() => {})).toBe('loaded');
  await loadDemoHistory();
  const org = await findOrganizationBySlug('acme');
  if (!org) throw new Error('Acme was not seeded');
  acme = systemContext(org.id, 'test', org.slug);
}, 600_000);

afterAll(async () => { await closeProducers(); await disconnectDb(); });

describe("Acme's own policy in the demo", () => {
  it('has three enabled custom controls and the Acme platform policy framework with a score, and loads once', async () => {
    const controls = await listCustomControls(acme);
    expect(controls.map((c) => [c.controlId, c.enabled])).toEqual([
      ['custom.ingress-security-review', true],
      ['custom.loadbalancer-outside-ingress', true],
      ['custom.shop-owner-label', true],
    ]);
    const [framework] = await listOrgFrameworks(acme);
    expect(framework?.name).toBe('Acme platform policy');
    expect(framework!.score.passed + framework!.score.failed).toBeGreaterThan(0);
    expect(framework!.score.manual).toBe(1);
    expect(await loadDemoPolicies(() => {})).toBe('already-loaded');
  });
});
