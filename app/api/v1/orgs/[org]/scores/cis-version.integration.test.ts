import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext, type OrgContext } from '@/lib/platform/auth/context';
import { disconnectDb } from '@/lib/platform/db/client';
import { dbFor } from '@/lib/platform/db/tenant';
import { closeProducers } from '@/lib/platform/queue/producers';
import { seedCatalog } from '@/lib/services/catalog/seed-catalog';
import { listCatalog } from '@/lib/services/catalog/read-catalog';
import { getDashboard } from '@/lib/services/dashboard/get-dashboard';
import { getCluster } from '@/lib/services/clusters/read-clusters';
import { getFinding } from '@/lib/services/findings/get-finding';
import { createApiToken } from '@/lib/services/orgs/api-tokens';
import { setCisBenchmark } from '@/lib/services/orgs/settings';
import { evaluateStoredSnapshot } from '@/lib/services/pipeline/evaluate-stored-snapshot';
import { findFramework, frameworkIdsForCis, type Framework } from '@/lib/analysis/frameworks';
import { createClusterWithToken, createMember, createOrg } from '@/lib/testing/factories';
import { container, deployment, namespace, snapshotOf } from '@/lib/testing/k8s';
import { pushSnapshot } from '@/lib/testing/push';
import { parseFindingsPageQuery } from '@/app/o/[org]/findings/_components/query';
import { GET } from './route';

// Issue 21: the organization's CIS version (Settings → Benchmark) decides which CIS framework the controls page,
// the scores API, the finding's badges, the dashboard's cluster table and the cluster page show. A Deployment in
// the default namespace is CIS v1.9 item 5.7.4 and v1.12 item 5.6.4: the ids a user sees must follow the switch.

afterAll(async () => { await closeProducers(); await disconnectDb(); });

let org: { id: string; slug: string };
let admin: OrgContext;
let viewer: OrgContext;
let token: string;
let clusterId: string;
let findingId: string;

beforeAll(async () => {
  await seedCatalog();
  org = await createOrg();
  admin = (await createMember(org, 'ADMIN')).ctx;
  viewer = (await createMember(org, 'VIEWER')).ctx;
  token = (await createApiToken(systemContext(org.id, 'test', org.slug), { name: 'ro', role: 'VIEWER' })).token;
  const { cluster, token: agentToken } = await createClusterWithToken(org, 'prod');
  clusterId = cluster.id;
  const snapshot = snapshotOf([namespace('default', {}), deployment({ namespace: 'default', name: 'web' }, { containers: [container()] })], { collectedAt: '2026-07-01T00:00:00Z', clusterUid: `uid-${org.slug}` });
  const pushed = await pushSnapshot(agentToken, snapshot);
  await evaluateStoredSnapshot(systemContext(org.id, 'test'), pushed.snapshotId, () => new Date('2026-07-01T00:05:00Z'));
  findingId = (await dbFor(admin).finding.findFirstOrThrow({ where: { controlId: 'workload.default-namespace' } })).id;
});

const scores = async (query: string) => {
  const response = await GET(new Request(`http://localhost/api/v1/orgs/${org.slug}/scores?${query}`, { headers: { authorization: `Bearer ${token}` } }), { params: Promise.resolve({ org: org.slug }) });
  return { status: response.status, body: await response.json() as Record<string, unknown> & { points: { score: number }[] } };
};
const orgFrameworks = (version: '1.9' | '1.12') => frameworkIdsForCis(version).map((id) => findFramework(id)).filter((f): f is Framework => f !== undefined);

describe('switching the organization from CIS v1.9 to v1.12', () => {
  it('changes the controls page data: its CIS framework, the item ids on each control and the filter', async () => {
    const before = await listCatalog(viewer, { frameworkId: 'cis-k8s-1.9', requirement: '5.7.4' });
    expect(before.cis).toEqual({ version: '1.9', frameworkId: 'cis-k8s-1.9' });
    expect(before.frameworks.map((f) => f.name)).toEqual(['CIS Kubernetes Benchmark v1.9', 'ISO/IEC 27001:2022 Annex A', 'NSA/CISA Kubernetes Hardening Guide']);
    expect(before.controls.map((c) => c.id)).toContain('workload.default-namespace');
    expect(before.controls.find((c) => c.id === 'workload.default-namespace')?.mappings.cis).toEqual(['5.7.4']);

    await setCisBenchmark(admin, { version: '1.12' });
    const after = await listCatalog(viewer, { frameworkId: 'cis-k8s-1.12', requirement: '5.6.4' });
    expect(after.cis).toEqual({ version: '1.12', frameworkId: 'cis-k8s-1.12' });
    expect(after.frameworks.map((f) => f.id)).toEqual(['cis-k8s-1.12', 'iso27001-2022', 'nsa-k8s-1.2']);
    expect(after.frameworks[0]?.name).toBe('CIS Kubernetes Benchmark v1.12');
    expect(after.controls.find((c) => c.id === 'workload.default-namespace')?.mappings.cis).toEqual(['5.6.4']);
    expect(after.controls.map((c) => c.id)).toContain('workload.default-namespace');
    // An old link to the v1.9 filter reads as the organization's version; its v1.9 item id is not a v1.12 filter.
    const oldLink = await listCatalog(viewer, { frameworkId: 'cis-k8s-1.9', requirement: '5.7.4' });
    expect(oldLink).toMatchObject({ frameworkId: 'cis-k8s-1.12', requirement: null });
    await setCisBenchmark(admin, { version: '1.9' });
  });

  it('changes what the scores API answers for framework=cis (and with no framework), naming the version', async () => {
    const before = await scores('framework=cis&granularity=evaluation&from=2026-06-30T00:00:00Z&to=2026-07-02T00:00:00Z');
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ framework: 'cis-k8s-1.9', frameworkName: 'CIS Kubernetes Benchmark', frameworkVersion: '1.9', organizationCisVersion: '1.9' });
    expect(before.body.points).toHaveLength(1);

    await setCisBenchmark(admin, { version: '1.12' });
    const after = await scores('granularity=evaluation&from=2026-06-30T00:00:00Z&to=2026-07-02T00:00:00Z');
    expect(after.body).toMatchObject({ framework: 'cis-k8s-1.12', frameworkVersion: '1.12', organizationCisVersion: '1.12' });
    expect(after.body.points).toHaveLength(1);
    // A versioned id still asks for that version (both are recorded); an unknown framework is a 400 naming it.
    expect((await scores('framework=cis-k8s-1.9&granularity=evaluation&from=2026-06-30T00:00:00Z&to=2026-07-02T00:00:00Z')).body).toMatchObject({ framework: 'cis-k8s-1.9', organizationCisVersion: '1.12' });
    const bad = await scores('framework=cis-k8s-2.0');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('framework');
    await setCisBenchmark(admin, { version: '1.9' });
  });

  it("changes the finding's CIS badges: only the organization's version, with its item id and version", async () => {
    const cisOf = async () => (await getFinding(viewer, findingId)).mappings.filter((m) => m.frameworkId.startsWith('cis-')).map((m) => `${m.frameworkName} ${m.code}`);
    expect(await cisOf()).toEqual(['CIS Kubernetes Benchmark v1.9 5.7.4']);
    await setCisBenchmark(admin, { version: '1.12' });
    expect(await cisOf()).toEqual(['CIS Kubernetes Benchmark v1.12 5.6.4']);
    expect((await getFinding(viewer, findingId)).mappings.some((m) => m.frameworkId === 'iso27001-2022')).toBe(true);
    // The findings filter looks a lone item id up in the organization's version: 5.6.4 is v1.12's.
    expect(parseFindingsPageQuery({ requirement: '5.6.4' }, orgFrameworks('1.12'))).toMatchObject({ framework: 'cis-k8s-1.12', requirement: '5.6.4' });
    expect(parseFindingsPageQuery({ framework: 'cis-k8s-1.9', requirement: '5.6.4' }, orgFrameworks('1.12'))).toMatchObject({ framework: 'cis-k8s-1.12', requirement: '5.6.4' });
    await setCisBenchmark(admin, { version: '1.9' });
  });

  it("changes the dashboard's CIS column and the cluster page's scores to the chosen version", async () => {
    const before = await getDashboard(viewer, new Date('2026-07-02T00:00:00Z'));
    expect(before.cis.frameworkId).toBe('cis-k8s-1.9');
    expect(Object.keys(before.clusters[0]?.scores ?? {}).sort()).toEqual(['cis-k8s-1.9', 'iso27001-2022', 'nsa-k8s-1.2']);
    await setCisBenchmark(admin, { version: '1.12' });
    const after = await getDashboard(viewer, new Date('2026-07-02T00:00:00Z'));
    expect(after.cis).toEqual({ version: '1.12', frameworkId: 'cis-k8s-1.12' });
    expect(after.frameworks[0]).toMatchObject({ frameworkId: 'cis-k8s-1.12', name: 'CIS Kubernetes Benchmark v1.12' });
    expect(Object.keys(after.clusters[0]?.scores ?? {}).sort()).toEqual(['cis-k8s-1.12', 'iso27001-2022', 'nsa-k8s-1.2']);
    expect(typeof after.clusters[0]?.scores['cis-k8s-1.12']).toBe('number');
    const cluster = await getCluster(viewer, clusterId);
    expect(cluster.frameworkIds).toEqual(['cis-k8s-1.12', 'iso27001-2022', 'nsa-k8s-1.2']);
    expect(cluster.scores.map((s) => s.frameworkId).sort()).toEqual(['cis-k8s-1.12', 'iso27001-2022', 'nsa-k8s-1.2']);
    await setCisBenchmark(admin, { version: '1.9' });
  });
});
