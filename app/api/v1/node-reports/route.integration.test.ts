import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as engine from '@/lib/analysis/engine';
import type { NodeReport } from '@/lib/analysis/snapshot/node-report';
import type { KubeObject } from '@/lib/analysis/snapshot/schema';
import { systemContext } from '@/lib/platform/auth/context';
import { disconnectDb } from '@/lib/platform/db/client';
import { dbFor, systemDb } from '@/lib/platform/db/tenant';
import { closeProducers } from '@/lib/platform/queue/producers';
import { evaluateStoredSnapshot } from '@/lib/services/pipeline/evaluate-stored-snapshot';
import { seedCatalog } from '@/lib/services/catalog/seed-catalog';
import { createClusterWithToken, createOrg } from '@/lib/testing/factories';
import { namespace, snapshotOf } from '@/lib/testing/k8s';
import { pushSnapshot } from '@/lib/testing/push';
import { POST } from './route';
import { GET as GET_NODES } from '../orgs/[org]/clusters/[id]/nodes/route';
import { createApiToken } from '@/lib/services/orgs/api-tokens';

// The engine's input is observed, not replaced: evaluate still runs, the spy records what the pipeline passed.
vi.mock('@/lib/analysis/engine', async (importOriginal) => {
  const original = await importOriginal<typeof import('@/lib/analysis/engine')>();
  return { ...original, evaluate: vi.fn(original.evaluate) };
});

afterAll(async () => { await closeProducers(); await disconnectDb(); });

const FIXTURES = path.resolve(import.meta.dirname, '../../../../agent/test/node-fixtures');
const fixtureReport = (name: string, collectedAt: string): NodeReport => ({ ...(JSON.parse(readFileSync(path.join(FIXTURES, name, 'report.json'), 'utf8')) as NodeReport), collectedAt });

function nodeObject(name: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'node-role.kubernetes.io/control-plane': '' } }, status: { nodeInfo: { kubeletVersion: 'v1.30.4' } } } as KubeObject;
}

function post(body: unknown, token: string, options: { gzip?: boolean } = {}) {
  const raw = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  return POST(new Request('http://localhost/api/v1/node-reports', {
    method: 'POST',
    body: options.gzip === false ? raw : gzipSync(raw),
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...(options.gzip === false ? {} : { 'content-encoding': 'gzip' }) },
    // @ts-expect-error Node's fetch needs duplex for a request body; the DOM types don't know it
    duplex: 'half',
  }));
}

let a: { orgId: string; clusterId: string; token: string; snapshotId: string };
let b: { orgId: string; clusterId: string; token: string };

beforeAll(async () => {
  await seedCatalog();
  const orgA = await createOrg();
  const clusterA = await createClusterWithToken(orgA, 'node-report-prod');
  const snapshot = snapshotOf([namespace('kube-system'), nodeObject('cp-1'), nodeObject('worker-1')], { clusterUid: 'uid-node-reports', collectedAt: '2026-11-30T10:00:00Z', collection: { nodes: { status: 'collected', count: 2 } } });
  const pushed = await pushSnapshot(clusterA.token, snapshot);
  expect((await evaluateStoredSnapshot(systemContext(orgA.id, 'test'), pushed.snapshotId)).outcome).toBe('done');
  a = { orgId: orgA.id, clusterId: clusterA.cluster.id, token: clusterA.token, snapshotId: pushed.snapshotId };
  const orgB = await createOrg();
  const clusterB = await createClusterWithToken(orgB, 'node-report-other');
  b = { orgId: orgB.id, clusterId: clusterB.cluster.id, token: clusterB.token };
});

describe('POST /api/v1/node-reports', () => {
  it('stores the report, re-evaluates the cluster\'s latest snapshot with it, and the engine receives it', async () => {
    const report = fixtureReport('kubeadm-control-plane', new Date(Date.now() - 60_000).toISOString());
    const response = await post(report, a.token);
    expect(response.status).toBe(202);
    const body = (await response.json()) as { nodeReportId: string; nodeName: string; status: string; evaluation: { snapshotId: string; queued: boolean } };
    expect(body).toMatchObject({ nodeName: 'cp-1', status: 'stored', evaluation: { queued: true } });
    const row = await dbFor({ organizationId: a.orgId }).nodeReport.findUniqueOrThrow({ where: { id: body.nodeReportId } });
    expect(row).toMatchObject({ clusterId: a.clusterId, nodeName: 'cp-1', apiVersion: 'bulwark.dev/node-report/v1' });
    expect((row.report as NodeReport).components.apiserver?.flags['authorization-mode']).toEqual(['Node,RBAC']);

    // The re-evaluation is a new snapshot row reusing the latest one's body; evaluating it hands the engine the report.
    const copy = await dbFor({ organizationId: a.orgId }).snapshot.findUniqueOrThrow({ where: { id: body.evaluation.snapshotId } });
    expect(copy).toMatchObject({ baseSnapshotId: a.snapshotId, status: 'QUEUED' });
    const evaluate = vi.mocked(engine.evaluate);
    evaluate.mockClear();
    expect((await evaluateStoredSnapshot(systemContext(a.orgId, 'test'), copy.id)).outcome).toBe('done');
    const input = evaluate.mock.calls[0]?.[1]?.nodeReports ?? [];
    expect(input.map((r) => r.node.name)).toEqual(['cp-1']);
    // Filled in from the snapshot's Node object: what the host cannot tell.
    expect(input[0]?.node).toMatchObject({ kubeletVersion: 'v1.30.4', labels: { 'node-role.kubernetes.io/control-plane': '' } });
    expect(input[0]?.components.apiserver?.source).toBe('static-pod');
    // And CIS section 1 is answered from it: kubeadm's 0600 manifests pass, its missing --profiling=false fails.
    const run = await dbFor({ organizationId: a.orgId }).evaluationRun.findFirstOrThrow({ where: { snapshotId: copy.id } });
    const status = new Map((run.controlResults as { controlId: string; status: string }[]).map((c) => [c.controlId, c.status]));
    expect(status.get('node.file-apiserver-manifest-mode-600')).toBe('pass');
    expect(status.get('node.apiserver-profiling')).toBe('fail');
  });

  it('an unchanged report only moves its time on: 200, no new evaluation; an older one does not replace it', async () => {
    const before = await dbFor({ organizationId: a.orgId }).snapshot.count();
    const response = await post(fixtureReport('kubeadm-control-plane', new Date(Date.now() - 30_000).toISOString()), a.token);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'unchanged', evaluation: null });
    // A delayed retry of an older, different collection of the same node.
    const older = await post({ ...fixtureReport('kubeadm-control-plane', '2026-11-01T00:00:00Z'), files: [] }, a.token);
    expect(older.status).toBe(200);
    expect(await older.json()).toMatchObject({ status: 'stale' });
    expect(await dbFor({ organizationId: a.orgId }).snapshot.count()).toBe(before);
    const row = await dbFor({ organizationId: a.orgId }).nodeReport.findFirstOrThrow({ where: { nodeName: 'cp-1' } });
    expect((row.report as NodeReport).files.length).toBeGreaterThan(0);
  });

  it('another organization\'s agent token cannot touch A\'s reports: its push lands in its own cluster only', async () => {
    const before = await systemDb().nodeReport.findMany({ where: { organizationId: a.orgId }, orderBy: { id: 'asc' } });
    const response = await post(fixtureReport('kubeadm-control-plane', new Date().toISOString()), b.token);
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({ status: 'stored', evaluation: null }); // B's cluster has no snapshot yet
    expect(await systemDb().nodeReport.findMany({ where: { organizationId: a.orgId }, orderBy: { id: 'asc' } })).toEqual(before);
    expect(await systemDb().nodeReport.count({ where: { organizationId: b.orgId, clusterId: b.clusterId } })).toBe(1);
    // Through B's tenant client A's rows do not exist.
    expect(await dbFor({ organizationId: b.orgId }).nodeReport.count({ where: { clusterId: a.clusterId } })).toBe(0);
    expect((await post(fixtureReport('kubeadm-worker', new Date().toISOString()), 'bwa_not-a-real-token')).status).toBe(401);
  });

  it('leaves out of the evaluation a node silent for more than 7 days and a node the snapshot does not list', async () => {
    const eightDaysAgo = new Date(Date.now() - 8 * 86_400_000).toISOString();
    expect((await post(fixtureReport('kubeadm-worker', eightDaysAgo), a.token)).status).toBe(202); // worker-1, listed but silent
    const ghost = fixtureReport('kubeadm-worker', new Date().toISOString());
    const response = await post({ ...ghost, node: { ...ghost.node, name: 'ghost-node' } }, a.token);
    expect(response.status).toBe(202);
    const { evaluation } = (await response.json()) as { evaluation: { snapshotId: string } };
    const evaluate = vi.mocked(engine.evaluate);
    evaluate.mockClear();
    expect((await evaluateStoredSnapshot(systemContext(a.orgId, 'test'), evaluation.snapshotId)).outcome).toBe('done');
    expect((evaluate.mock.calls[0]?.[1]?.nodeReports ?? []).map((r) => r.node.name)).toEqual(['cp-1']);
    expect(await dbFor({ organizationId: a.orgId }).nodeReport.count({ where: { clusterId: a.clusterId } })).toBe(3); // stored all the same
  });

  it('GET /api/v1/orgs/{org}/clusters/{id}/nodes lists the reporting nodes, their role and staleness', async () => {
    const org = await systemDb().organization.findUniqueOrThrow({ where: { id: a.orgId } });
    const { token } = await createApiToken(systemContext(a.orgId, 'test', org.slug), { name: 'nodes', role: 'VIEWER' });
    const response = await GET_NODES(new Request(`http://localhost/api/v1/orgs/${org.slug}/clusters/${a.clusterId}/nodes`, { headers: { authorization: `Bearer ${token}` } }), { params: Promise.resolve({ org: org.slug, id: a.clusterId }) });
    expect(response.status).toBe(200);
    type Body = { maxAgeDays: number; cisVersion: string; nodes: { name: string; role: string; stale: boolean; managedProvider: string | null; receivedAt: string; cis: { pass: number; fail: number; providerResponsibility: number } | null }[] };
    const body = (await response.json()) as Body;
    expect(body.maxAgeDays).toBe(7);
    expect(body.nodes.map((n) => [n.name, n.role, n.stale])).toEqual([['cp-1', 'control-plane', false], ['ghost-node', 'worker', false], ['worker-1', 'worker', true]]);
    // CIS sections 1-4 per node, in the organization's version: kubeadm's control plane fails --profiling, passes its manifests.
    expect(body.cisVersion).toBe('1.9');
    const cp = body.nodes.find((n) => n.name === 'cp-1');
    expect(cp).toMatchObject({ managedProvider: null });
    expect(cp?.cis?.fail).toBeGreaterThan(0);
    expect(cp?.cis?.pass).toBeGreaterThan(10);
    expect(cp?.cis?.providerResponsibility).toBe(0);
    expect(Date.parse(cp?.receivedAt ?? '')).not.toBeNaN();
    // Switching the organization's version answers in v1.12 items.
    await systemDb().organization.update({ where: { id: a.orgId }, data: { cisBenchmarkVersion: '1.12' } });
    const switched = (await (await GET_NODES(new Request(`http://localhost/api/v1/orgs/${org.slug}/clusters/${a.clusterId}/nodes`, { headers: { authorization: `Bearer ${token}` } }), { params: Promise.resolve({ org: org.slug, id: a.clusterId }) })).json()) as Body;
    expect(switched.cisVersion).toBe('1.12');
    expect(switched.nodes.find((n) => n.name === 'cp-1')?.cis?.fail).toBeGreaterThan(0);
    await systemDb().organization.update({ where: { id: a.orgId }, data: { cisBenchmarkVersion: '1.9' } });
  });

  it('GET …/nodes names the managed provider and counts control-plane items as its responsibility on an EKS worker; 404 for another organization', async () => {
    const org = await systemDb().organization.findUniqueOrThrow({ where: { id: b.orgId } });
    const eks = fixtureReport('eks-worker', new Date().toISOString());
    const eksCluster = await createClusterWithToken(org, 'eks');
    const snapshot = snapshotOf([namespace('kube-system')], { clusterUid: 'uid-eks-nodes', collectedAt: new Date().toISOString() });
    await pushSnapshot(eksCluster.token, snapshot);
    const stored = await post(eks, eksCluster.token);
    expect(stored.status).toBe(202);
    const { evaluation } = (await stored.json()) as { evaluation: { snapshotId: string } | null };
    const latest = evaluation?.snapshotId ?? (await dbFor({ organizationId: b.orgId }).snapshot.findFirstOrThrow({ where: { clusterId: eksCluster.cluster.id }, orderBy: { receivedAt: 'desc' } })).id;
    expect((await evaluateStoredSnapshot(systemContext(b.orgId, 'test'), latest)).outcome).toBe('done');
    const { token } = await createApiToken(systemContext(b.orgId, 'test', org.slug), { name: 'nodes', role: 'VIEWER' });
    const get = (clusterId: string) => GET_NODES(new Request(`http://localhost/api/v1/orgs/${org.slug}/clusters/${clusterId}/nodes`, { headers: { authorization: `Bearer ${token}` } }), { params: Promise.resolve({ org: org.slug, id: clusterId }) });
    const body = (await (await get(eksCluster.cluster.id)).json()) as { nodes: { name: string; role: string; managedProvider: string | null; cis: { pass: number; fail: number; providerResponsibility: number } | null }[] };
    expect(body.nodes).toHaveLength(1);
    expect(body.nodes[0]).toMatchObject({ name: eks.node.name, role: 'worker', managedProvider: 'Amazon EKS' });
    expect(body.nodes[0]?.cis?.providerResponsibility).toBeGreaterThan(50);
    expect((body.nodes[0]?.cis?.pass ?? 0) + (body.nodes[0]?.cis?.fail ?? 0)).toBeGreaterThan(0);
    expect((await get(a.clusterId)).status).toBe(404);
  });

  it('400 naming the path for an invalid report or a credential left in it; nothing is written', async () => {
    const count = async () => systemDb().nodeReport.count({ where: { organizationId: a.orgId } });
    const before = await count();
    const wrongVersion = await post({ ...fixtureReport('kubeadm-worker', new Date().toISOString()), apiVersion: 'bulwark.dev/node-report/v0' }, a.token);
    expect(wrongVersion.status).toBe(400);
    expect(((await wrongVersion.json()) as { error: { issues: { path: string }[] } }).error.issues.map((i) => i.path)).toContain('apiVersion');

    const leaky = fixtureReport('kubeadm-worker', new Date().toISOString());
    leaky.components.proxy = { source: 'process', flags: { token: ['hunter2hunter2'] } };
    const leak = await post(leaky, a.token, { gzip: false });
    expect(leak.status).toBe(400);
    const text = await leak.text();
    expect(text).toContain('components.proxy.flags.token[0]');
    expect(text).not.toContain('hunter2');
    expect((await post('{not json', a.token)).status).toBe(400);
    expect(await count()).toBe(before);
  });
});
