import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext, type OrgContext } from '../../platform/auth/context';
import { disconnectDb } from '../../platform/db/client';
import { closeProducers } from '../../platform/queue/producers';
import { createClusterWithToken, createMember, createOrg } from '../../testing/factories';
import { container, deployment, namespace, snapshotOf } from '../../testing/k8s';
import { pushSnapshot } from '../../testing/push';
import { evaluateStoredSnapshot } from '../pipeline/evaluate-stored-snapshot';
import { createCustomControl, setCustomControlEnabled } from '../policies/custom-controls';
import { createOrgFramework } from '../policies/org-frameworks';
import { setCisBenchmark } from '../orgs/settings';
import { listCatalog } from './read-catalog';
import { seedCatalog } from './seed-catalog';

/**
 * Issue 23: the organization's own controls appear in its controls catalog beside Bulwark's, marked as its own, with
 * their current version, mappings and last result, and the catalog's framework/requirement filters find them.
 * Another organization's catalog never shows them.
 */
afterAll(async () => { await closeProducers(); await disconnectDb(); });

const OWNER_RULE = {
  match: { resources: [{ kinds: ['Deployment'] }] },
  validations: [{ expression: "has(object.metadata.labels) && 'owner' in object.metadata.labels", message: 'Deployments need an owner label' }],
};

let orgA: { id: string; slug: string };
let viewerA: OrgContext;
let viewerB: OrgContext;
let adminA: OrgContext;
let ownerLabelId: string;
let draftId: string;

beforeAll(async () => {
  await seedCatalog();
  orgA = await createOrg();
  const admin = (await createMember(orgA, 'ADMIN')).ctx;
  adminA = admin;
  viewerA = (await createMember(orgA, 'VIEWER')).ctx;
  viewerB = (await createMember(await createOrg(), 'VIEWER')).ctx;
  await createOrgFramework(admin, { key: 'acme-platform', name: 'Acme platform policy', requirements: [{ code: 'AP-1', title: 'Every workload has an owner' }] });
  const ownerLabel = await createCustomControl(admin, {
    key: 'owner-label', title: 'Deployments have an owner label', severity: 'high', rationale: 'Someone answers for every workload.',
    remediation: 'Add an owner label.', rule: OWNER_RULE, requirementIds: ['iso27001-2022:A.8.9', 'cis-k8s-1.9:5.7.4', 'acme-platform:AP-1'],
  });
  ownerLabelId = ownerLabel.id;
  await setCustomControlEnabled(admin, { customControlId: ownerLabel.id, enabled: true }); // version 2
  draftId = (await createCustomControl(admin, {
    key: 'draft-rule', title: 'A rule not enabled yet', severity: 'low', rationale: 'Being written.', remediation: 'None yet.',
    rule: OWNER_RULE, requirementIds: ['iso27001-2022:A.8.20'],
  })).id;
  const { token } = await createClusterWithToken(orgA, 'prod');
  const snapshot = snapshotOf([namespace('shop'), deployment({ name: 'web', namespace: 'shop' }, { containers: [container()] })], { collectedAt: '2026-07-01T00:00:00Z', clusterUid: `uid-${orgA.slug}` });
  const pushed = await pushSnapshot(token, snapshot);
  await evaluateStoredSnapshot(systemContext(orgA.id, 'test'), pushed.snapshotId, () => new Date('2026-07-01T00:05:00Z'));
}, 120_000);

describe('the controls catalog with the organization\'s own controls', () => {
  it('lists them after the built-in ones, marked as the organization\'s, with version, mappings and last result', async () => {
    const catalog = await listCatalog(viewerA);
    const ids = catalog.controls.map((c) => c.id);
    expect(ids.filter((id) => id.startsWith('custom.'))).toEqual(['custom.draft-rule', 'custom.owner-label']);
    expect(catalog.controls.filter((c) => !c.own).length).toBeGreaterThan(20);
    expect(catalog.controls.find((c) => c.id === 'workload.privileged-container')?.own).toBeNull();
    const ownerLabel = catalog.controls.find((c) => c.id === 'custom.owner-label');
    expect(ownerLabel).toMatchObject({
      title: 'Deployments have an owner label', severity: 'high', kinds: ['Deployment'],
      own: { customControlId: ownerLabelId, version: 2, enabled: true, organizationRequirementIds: ['acme-platform:AP-1'] },
      mappings: { cis: ['5.7.4'], iso27001: ['A.8.9'], nsa: [], pss: null },
    });
    expect(ownerLabel?.results).toEqual([{ clusterId: catalog.clusters[0]!.id, status: 'fail', open: 1, accepted: 0 }]);
    // A disabled control is listed too, never evaluated.
    expect(catalog.controls.find((c) => c.id === 'custom.draft-rule')).toMatchObject({
      own: { customControlId: draftId, version: 1, enabled: false }, mappings: { iso27001: ['A.8.20'] }, results: [{ status: 'not_evaluated' }],
    });
  });

  it('the framework and requirement filters and the search find them by their mapping', async () => {
    const a89 = await listCatalog(viewerA, { frameworkId: 'iso27001-2022', requirement: 'A.8.9' });
    expect(a89.controls.map((c) => c.id)).toContain('custom.owner-label');
    expect(a89.controls.map((c) => c.id)).not.toContain('custom.draft-rule');
    expect((await listCatalog(viewerA, { frameworkId: 'iso27001-2022', requirement: 'A.8.20' })).controls.map((c) => c.id)).toContain('custom.draft-rule');
    expect((await listCatalog(viewerA, { frameworkId: 'cis-k8s-1.9', requirement: '5.7.4' })).controls.map((c) => c.id)).toContain('custom.owner-label');
    expect((await listCatalog(viewerA, { frameworkId: 'nsa-k8s-1.2' })).controls.filter((c) => c.own)).toEqual([]);
    expect((await listCatalog(viewerA, { q: 'owner label' })).controls.map((c) => c.id)).toEqual(['custom.owner-label']);
  });

  it('under the v1.12 benchmark, a control mapped to v1.9\'s 5.7.4 shows and filters by v1.12\'s number, 5.6.4', async () => {
    await setCisBenchmark(adminA, { version: '1.12' });
    try {
      const catalog = await listCatalog(viewerA);
      expect(catalog.cis.version).toBe('1.12');
      expect(catalog.controls.find((c) => c.id === 'custom.owner-label')?.mappings.cis).toEqual(['5.6.4']);
      expect((await listCatalog(viewerA, { frameworkId: 'cis-k8s-1.12', requirement: '5.6.4' })).controls.map((c) => c.id)).toContain('custom.owner-label');
    } finally {
      await setCisBenchmark(adminA, { version: '1.9' });
    }
  });

  it('another organization never sees them, with or without a filter', async () => {
    for (const query of [{}, { frameworkId: 'iso27001-2022' as const, requirement: 'A.8.9' }, { q: 'owner' }]) {
      const catalog = await listCatalog(viewerB, query);
      expect(catalog.controls.filter((c) => c.own !== null || c.id.startsWith('custom.'))).toEqual([]);
    }
  });
});
