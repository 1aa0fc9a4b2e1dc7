import { afterAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../analysis/snapshot/schema';
import { systemContext } from '../../platform/auth/context';
import { disconnectDb } from '../../platform/db/client';
import { dbFor } from '../../platform/db/tenant';
import { closeProducers } from '../../platform/queue/producers';
import { seedCatalog } from '../catalog/seed-catalog';
import { currentRequirementResults } from '../scores/control-tallies';
import { createClusterWithToken, createOrg } from '../../testing/factories';
import { namespace, snapshotOf } from '../../testing/k8s';
import { pushSnapshot } from '../../testing/push';
import { evaluateStoredSnapshot } from './evaluate-stored-snapshot';

// Issue 21: a managed cluster whose agent lists its Nodes but runs no node collector. The Node objects' providerID
// and EKS labels make the control-plane items the provider's through the real intake and pipeline; a kubeadm
// cluster on EC2 (a Node labelled control plane) stays the customer's, not assessed.

afterAll(async () => { await closeProducers(); await disconnectDb(); });

const node = (name: string, labels: Record<string, string>, providerID: string): KubeObject =>
  ({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels }, spec: { providerID }, status: { nodeInfo: { kubeletVersion: 'v1.30.4-eks-a737599' } } }) as KubeObject;

async function evaluateWith(nodes: KubeObject[], name: string) {
  await seedCatalog();
  const org = await createOrg();
  const { cluster, token } = await createClusterWithToken(org, name);
  const snapshot = snapshotOf([namespace('kube-system'), ...nodes], { clusterUid: `uid-${name}-${org.slug}`, collectedAt: '2026-12-01T00:00:00Z', collection: { nodes: { status: 'collected', count: nodes.length } } });
  const pushed = await pushSnapshot(token, snapshot);
  const ctx = systemContext(org.id, 'test');
  expect((await evaluateStoredSnapshot(ctx, pushed.snapshotId, () => new Date('2026-12-01T00:05:00Z'))).outcome).toBe('done');
  const db = dbFor(ctx);
  const run = await db.evaluationRun.findFirstOrThrow({ where: { snapshotId: pushed.snapshotId } });
  const status = new Map((run.controlResults as { controlId: string; status: string; reason?: string }[]).map((c) => [c.controlId, c]));
  const requirements = (await currentRequirementResults(db, cluster.id, run.id)).requirements.filter((r) => r.frameworkId === 'cis-k8s-1.12');
  return { status, requirements };
}

describe('a managed cluster without the node collector', () => {
  it('gets its control-plane items as provider responsibility from the Node objects (EKS)', async () => {
    const { status, requirements } = await evaluateWith([
      node('ip-10-0-1-5.eu-west-1.compute.internal', { 'eks.amazonaws.com/nodegroup': 'ng-1' }, 'aws:///eu-west-1a/i-0abc'),
      node('ip-10-0-1-6.eu-west-1.compute.internal', { 'eks.amazonaws.com/nodegroup': 'ng-1' }, 'aws:///eu-west-1b/i-0abd'),
    ], 'eks-no-collector');
    expect(status.get('node.apiserver-anonymous-auth')).toMatchObject({ status: 'provider_responsibility' });
    expect(status.get('node.apiserver-anonymous-auth')?.reason).toContain('Amazon EKS');
    expect(status.get('node.kubelet-anonymous-auth')?.status).toBe('not_applicable');
    expect(requirements.find((r) => r.requirementId === '1.2.1')?.status).toBe('provider_responsibility');
    expect(requirements.filter((r) => r.status === 'provider_responsibility').length).toBeGreaterThan(50);
  });

  it('leaves a self-managed cluster on EC2 (a Node labelled control plane) not assessed', async () => {
    const { status } = await evaluateWith([
      node('cp-1', { 'node-role.kubernetes.io/control-plane': '' }, 'aws:///eu-west-1a/i-1'),
      node('worker-1', {}, 'aws:///eu-west-1a/i-2'),
    ], 'kubeadm-ec2-no-collector');
    expect(status.get('node.apiserver-anonymous-auth')?.status).toBe('not_applicable');
  });
});
