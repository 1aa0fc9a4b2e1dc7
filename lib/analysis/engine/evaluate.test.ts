import { describe, expect, it } from 'vitest';
import { CATALOG } from '@/lib/analysis/controls/catalog';
import type { KubeObject } from '@/lib/analysis/snapshot/schema';
import {
  clusterRole,
  clusterRoleBinding,
  container,
  cronJob,
  deployment,
  deploymentWithPods,
  job,
  namespace,
  ownedBy,
  pod,
  replicaSet,
  snapshotOf,
  user,
} from '@/lib/testing/k8s';
import { evaluate } from './evaluate';

const NOW = new Date('2025-01-01T00:00:00Z');
const privileged = { containers: [container({ securityContext: { privileged: true } })] };
const run = (objects: KubeObject[], controlIds = ['workload.privileged-container']) => evaluate(snapshotOf(objects), { now: NOW, controlIds });

describe('owner attribution', () => {
  it('reports a Deployment once, not again on its ReplicaSet and Pods', () => {
    const { findings } = run(deploymentWithPods({ name: 'web' }, privileged, 3));
    expect(findings.map((f) => `${f.resource.kind}/${f.resource.name}`)).toEqual(['Deployment/web']);
  });

  it('reports a CronJob once, not on its Jobs and their Pods', () => {
    const cj = cronJob({ name: 'nightly' }, privileged);
    const j = job({ name: 'nightly-28', ownerReferences: ownedBy(cj) }, privileged);
    const p = pod({ name: 'nightly-28-x', ownerReferences: ownedBy(j) }, privileged);
    expect(run([cj, j, p]).findings.map((f) => f.resource.kind)).toEqual(['CronJob']);
  });

  it('reports on the highest object present when the owner is missing, and a bare Pod as itself', () => {
    const d = deployment({ name: 'gone' });
    const rs = replicaSet({ name: 'gone-1', ownerReferences: ownedBy(d) }, privileged);
    const orphan = pod({ name: 'gone-1-a', ownerReferences: ownedBy(rs) }, privileged);
    const bare = pod({ name: 'bare' }, privileged);
    expect(run([rs, orphan, bare]).findings.map((f) => `${f.resource.kind}/${f.resource.name}`).sort()).toEqual(['Pod/bare', 'ReplicaSet/gone-1']);
  });

  it('attributes an ephemeral container added to a Deployment\'s Pod to the Deployment', () => {
    const [d, rs, p] = deploymentWithPods({ name: 'web' }, {}, 1) as [KubeObject, KubeObject, KubeObject];
    const debugged = { ...p, spec: { ...(p.spec as object), ephemeralContainers: [{ name: 'debugger', image: 'busybox', securityContext: { privileged: true } }] } };
    const [finding] = run([d, rs, debugged]).findings;
    expect(finding).toMatchObject({ resource: { kind: 'Deployment', name: 'web' }, message: 'ephemeral container "debugger" (on Pod web-7f9c-0) runs privileged' });
    expect(finding?.evidence).toEqual({ type: 'path', path: 'spec.ephemeralContainers[0].securityContext.privileged', value: true, object: { kind: 'Pod', name: 'web-7f9c-0' } });
  });
});

describe('one finding per fingerprint', () => {
  it('reports the same ephemeral container on two Pods of a Deployment once', () => {
    const [d, rs, p1, p2] = deploymentWithPods({ name: 'web' }, {}, 2) as [KubeObject, KubeObject, KubeObject, KubeObject];
    const debug = (p: KubeObject) => ({ ...p, spec: { ...(p.spec as object), ephemeralContainers: [{ name: 'debugger', image: 'busybox', securityContext: { privileged: true } }] } });
    const { findings } = run([d, rs, debug(p1), debug(p2)]);
    expect(findings.map((f) => f.message)).toEqual(['ephemeral container "debugger" (on Pod web-7f9c-0) runs privileged']);
  });

  it('reports an object a snapshot repeats once, for catalog and custom controls alike', () => {
    const web = deployment({ name: 'web' }, privileged);
    const other = deployment({ name: 'web', namespace: 'other' }, privileged);
    const rule = {
      match: { resources: [{ apiGroups: ['apps'], kinds: ['Deployment'] }] },
      validations: [{ expression: 'false', message: 'always fails' }],
    };
    const result = evaluate(snapshotOf([web, { ...web }, other]), {
      now: NOW,
      controlIds: ['workload.privileged-container', 'custom.x'],
      customControls: [{ id: 'custom.x', version: 1, severity: 'low', remediation: 'r', rule }],
    });
    const names = result.findings.map((f) => `${f.controlId} ${f.resource.namespace}/${f.resource.name}`);
    expect(names.sort()).toEqual(['custom.x other/web', 'custom.x team-a/web', 'workload.privileged-container other/web', 'workload.privileged-container team-a/web']);
    expect(new Set(result.findings.map((f) => f.fingerprint)).size).toBe(4);
  });
});

describe('platform defaults', () => {
  const objects = [
    clusterRole({ name: 'cluster-admin', labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' } }, [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]),
    clusterRoleBinding({ name: 'cluster-admin', labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' } }, { name: 'cluster-admin' }, [{ kind: 'Group', name: 'system:masters' }]),
    pod({ name: 'kube-proxy', namespace: 'kube-system' }, { hostNetwork: true }),
    namespace('kube-system', {}),
  ];
  const controls = ['rbac.cluster-admin-binding', 'rbac.wildcard-in-role', 'workload.host-network', 'namespace.pod-security-admission'];

  it('hides objects Kubernetes manages by default', () => {
    const result = run(objects, controls);
    expect(result.findings).toEqual([]);
    expect(result.controls.every((c) => c.status === 'pass' && c.evaluated === 0)).toBe(true);
  });

  it('shows them, flagged isPlatform, with includePlatform', () => {
    const result = evaluate(snapshotOf(objects), { now: NOW, controlIds: controls, includePlatform: true });
    expect(result.findings.map((f) => [f.controlId, f.isPlatform])).toEqual([
      ['rbac.cluster-admin-binding', true],
      ['rbac.wildcard-in-role', true],
      ['workload.host-network', true],
      ['namespace.pod-security-admission', true],
    ]);
  });
});

describe('fingerprints', () => {
  it('stay the same across snapshots and ignore uid and collection time', () => {
    const first = evaluate(snapshotOf(deploymentWithPods({ name: 'web' }, privileged), { collectedAt: '2025-01-01T00:00:00Z' }), { now: NOW });
    const second = evaluate(snapshotOf(deploymentWithPods({ name: 'web' }, privileged), { collectedAt: '2025-02-01T00:00:00Z', clusterUid: 'other' }), { now: new Date('2025-02-01') });
    expect(first.findings.length).toBeGreaterThan(0);
    expect(second.findings.map((f) => f.fingerprint)).toEqual(first.findings.map((f) => f.fingerprint));
    expect(first.findings[0]?.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  it('differ per offending item', () => {
    const d = deployment({}, { containers: [container({ name: 'a', securityContext: { privileged: true } }), container({ name: 'b', securityContext: { privileged: true } })] });
    const prints = run([d]).findings.map((f) => f.fingerprint);
    expect(new Set(prints).size).toBe(2);
  });
});

describe('evaluate', () => {
  it('reports an object that cannot be read and goes on with the others', () => {
    const broken = { ...pod({ name: 'broken' }), spec: { containers: 'not-a-list' } };
    const result = run([broken, pod({ name: 'bad' }, privileged)]);
    expect(result.parseErrors).toEqual([{ resource: expect.objectContaining({ kind: 'Pod', name: 'broken' }), message: 'spec.containers: expected a list' }]);
    expect(result.findings.map((f) => f.resource.name)).toEqual(['bad']);
  });

  it('never passes a control whose data was not collected', () => {
    const result = evaluate(snapshotOf([], { collection: { pods: { status: 'forbidden', count: 0, message: 'RBAC denied list pods' } } }), { now: NOW });
    const outcome = result.controls.find((c) => c.controlId === 'workload.privileged-container');
    expect(outcome).toEqual({ controlId: 'workload.privileged-container', status: 'not_applicable', reason: 'pods: forbidden (RBAC denied list pods)', evaluated: 0, findings: 0 });
    expect(result.requirements.find((r) => r.frameworkId === 'cis-k8s-1.9' && r.requirementId === '5.2.2')).toMatchObject({ status: 'not_applicable' });
  });

  it('evaluates every catalog control by default and scores the frameworks', () => {
    const result = evaluate(snapshotOf([namespace('team-a'), ...deploymentWithPods()]), { now: NOW });
    expect(result.controls.map((c) => c.controlId)).toEqual(CATALOG.map((c) => c.id));
    expect(result.scores.map((s) => s.frameworkId)).toEqual(['cis-k8s-1.9', 'cis-k8s-1.12', 'iso27001-2022', 'nsa-k8s-1.2']);
    expect(result.catalogVersion).toMatch(/^[0-9a-f]{16}$/);
  });

  it('does not read the clock or mutate its input', () => {
    const snapshot = snapshotOf([...deploymentWithPods({}, privileged), clusterRoleBinding({}, { name: 'x' }, [user('a')])]);
    const before = JSON.stringify(snapshot);
    expect(JSON.stringify(evaluate(snapshot, { now: NOW }))).toEqual(JSON.stringify(evaluate(snapshot, { now: NOW })));
    expect(JSON.stringify(snapshot)).toEqual(before);
  });
});
