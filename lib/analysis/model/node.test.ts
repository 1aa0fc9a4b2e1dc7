import { describe, expect, it } from 'vitest';
import { evaluate } from '@/lib/analysis/engine';
import { NODE_REPORT_API_VERSION, type NodeReport } from '@/lib/analysis/snapshot/node-report';
import type { KubeObject } from '@/lib/analysis/snapshot/schema';
import { snapshotOf } from '@/lib/testing/k8s';
import { nodesModelOf } from './node';

// Managed-cluster detection (issue 21): from the node collector's reports, and from the snapshot's Node objects
// (spec.providerID, the managed services' labels), so a managed cluster without the collector still gets its
// control-plane items marked as the provider's.

function node(name: string, labels: Record<string, string>, providerID?: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name, labels }, spec: providerID ? { providerID } : {} };
}

function report(name: string, components: NodeReport['components'] = { kubelet: { source: 'process', flags: {} } }, providerID?: string): NodeReport {
  return {
    apiVersion: NODE_REPORT_API_VERSION, collectedAt: '2026-12-06T11:00:00.000Z', collector: { version: 'test' },
    node: { name, labels: {}, ...(providerID ? { providerID } : {}) }, components, files: [],
  };
}

describe('managed provider from the snapshot\'s Node objects', () => {
  it.each([
    ['EKS by providerID', node('ip-10-0-1-5', {}, 'aws:///eu-west-1a/i-0abc'), 'aws'],
    ['EKS by label', node('ip-10-0-1-6', { 'eks.amazonaws.com/nodegroup': 'ng-1' }), 'aws'],
    ['GKE by label', node('gke-pool-1', { 'cloud.google.com/gke-nodepool': 'default-pool' }), 'gce'],
    ['AKS by label', node('aks-nodepool1-0', { 'kubernetes.azure.com/agentpool': 'nodepool1' }), 'azure'],
    ['AKS by providerID', node('aks-nodepool1-1', {}, 'azure:///subscriptions/x/resourceGroups/y/providers/Microsoft.Compute/virtualMachineScaleSets/z/virtualMachines/1'), 'azure'],
  ] as const)('%s, without any node report', (_name, object, provider) => {
    expect(nodesModelOf([], [object])).toMatchObject({ nodes: [], managedProvider: provider, hasControlPlane: false });
  });

  it('is not managed when a Node is labelled control plane (kubeadm on EC2 without the collector), or has no cloud identity', () => {
    const cp = node('cp-1', { 'node-role.kubernetes.io/control-plane': '' }, 'aws:///eu-west-1a/i-1');
    const worker = node('w-1', {}, 'aws:///eu-west-1a/i-2');
    expect(nodesModelOf([], [cp, worker]).managedProvider).toBeUndefined();
    expect(nodesModelOf([], [node('kind-worker', {}, 'kind://docker/kind/kind-worker')]).managedProvider).toBeUndefined();
    expect(nodesModelOf([], []).managedProvider).toBeUndefined();
  });

  it('lets a worker report without a cloud identity take the provider from its Node object, and a reported control plane still wins', () => {
    expect(nodesModelOf([report('ip-10-0-1-5')], [node('ip-10-0-1-5', { 'eks.amazonaws.com/nodegroup': 'ng-1' })]).managedProvider).toBe('aws');
    const apiserver = report('cp', { apiserver: { source: 'static-pod', flags: {} } }, 'aws:///eu-west-1a/i-1');
    expect(nodesModelOf([apiserver], [node('w', { 'eks.amazonaws.com/nodegroup': 'ng-1' })]).managedProvider).toBeUndefined();
  });
});

describe('the engine on a managed cluster without the node collector', () => {
  it('marks control-plane items the provider\'s responsibility from the Node objects; worker items stay not assessed', () => {
    const snapshot = snapshotOf([node('ip-10-0-1-5.ec2.internal', { 'eks.amazonaws.com/nodegroup': 'ng-1' }, 'aws:///eu-west-1a/i-0abc')]);
    const result = evaluate(snapshot, { now: new Date('2026-12-06T12:00:00Z') });
    const outcome = (id: string) => result.controls.find((c) => c.controlId === id);
    expect(outcome('node.apiserver-anonymous-auth')).toMatchObject({ status: 'provider_responsibility' });
    expect(outcome('node.apiserver-anonymous-auth')?.reason).toContain('Amazon EKS');
    expect(outcome('node.etcd-client-cert-auth')?.status).toBe('provider_responsibility');
    expect(outcome('node.kubelet-anonymous-auth')).toMatchObject({ status: 'not_applicable' });
    expect(outcome('node.kubelet-anonymous-auth')?.reason).toContain('node collector');
    const cis = result.requirements.filter((r) => r.frameworkId === 'cis-k8s-1.9');
    expect(cis.find((r) => r.requirementId === '1.2.1')?.status).toBe('provider_responsibility');
    expect(cis.find((r) => r.requirementId === '4.2.1')?.status).toBe('not_applicable');
    expect(result.scores.find((s) => s.frameworkId === 'cis-k8s-1.9')?.providerResponsibility).toBeGreaterThan(50);
  });

  it('leaves a self-managed cluster\'s control-plane items not assessed when its Nodes say control plane', () => {
    const snapshot = snapshotOf([node('cp-1', { 'node-role.kubernetes.io/control-plane': '' }, 'aws:///eu-west-1a/i-1')]);
    const result = evaluate(snapshot, { now: new Date('2026-12-06T12:00:00Z') });
    expect(result.controls.find((c) => c.controlId === 'node.apiserver-anonymous-auth')?.status).toBe('not_applicable');
  });
});
