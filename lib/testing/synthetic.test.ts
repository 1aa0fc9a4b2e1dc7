import { describe, expect, it } from 'vitest';
import { SnapshotSchema } from '@/lib/analysis/snapshot/schema';
import { evaluate } from '@/lib/analysis/engine';
import { syntheticSnapshot } from './synthetic';

describe('syntheticSnapshot', () => {
  it('is a valid snapshot, the same for the same seed, different for another', () => {
    const a = syntheticSnapshot({ pods: 500, seed: 7 });
    expect(SnapshotSchema.safeParse(a).success).toBe(true);
    expect(JSON.stringify(syntheticSnapshot({ pods: 500, seed: 7 }))).toBe(JSON.stringify(a));
    expect(JSON.stringify(syntheticSnapshot({ pods: 500, seed: 8 }))).not.toBe(JSON.stringify(a));
  });

  it('keeps the proportions of a real cluster', () => {
    const { objects } = syntheticSnapshot({ pods: 1000, seed: 1 });
    expect(objects.pods.length).toBeGreaterThanOrEqual(1000);
    expect(objects.pods.length).toBeLessThan(1010);
    expect(objects.namespaces).toHaveLength(40);
    expect(objects.roles.length + objects.clusterroles.length).toBe(200);
    expect(objects.rolebindings.length + objects.clusterrolebindings.length).toBe(200);
    expect(objects.secrets).toHaveLength(500);
    expect(objects.serviceaccounts.length).toBe(100 + 40);
    expect(new Set(objects.networkpolicies.map((p) => p.metadata.namespace)).size).toBe(20);
  });

  it('holds a realistic share of misconfigurations, reported once per workload', () => {
    const result = evaluate(syntheticSnapshot({ pods: 1000, seed: 1 }), { now: new Date('2025-01-01T00:00:00Z') });
    const failing = result.controls.filter((c) => c.status === 'fail').map((c) => c.controlId);
    expect(failing).toEqual(expect.arrayContaining(['workload.host-network', 'rbac.secrets-read', 'rbac.dangling-subject', 'namespace.network-policy-missing']));
    expect(failing.length).toBeGreaterThan(25);
    expect(result.parseErrors).toEqual([]);
    expect(result.findings.every((f) => f.resource.kind !== 'ReplicaSet' && !(f.resource.kind === 'Pod' && f.resource.name.includes('-5d4f8-')))).toBe(true);
  });
});
