import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate, type ControlTally } from '@/lib/analysis/engine';
import type { NodeReport } from '@/lib/analysis/snapshot/node-report';
import { snapshotOf } from '@/lib/testing/k8s';
import { nodeCisResults } from './node-results';

// A node's CIS sections 1-4 results on the cluster page (issue 21): from the cluster's control outcomes and the
// node's own findings. With one node they are the cluster's own section 1-4 item results.

const FIXTURES = path.resolve(import.meta.dirname, '../../../agent/test/node-fixtures');
const fixture = (name: string) => JSON.parse(readFileSync(path.join(FIXTURES, name, 'report.json'), 'utf8')) as NodeReport;

function resultsOf(reports: NodeReport[], frameworkId: 'cis-k8s-1.9' | 'cis-k8s-1.12', accept: (controlId: string) => boolean = () => false) {
  const result = evaluate(snapshotOf([]), { now: new Date('2026-12-06T12:00:00Z'), nodeReports: reports });
  const outcomes = new Map<string, ControlTally>(result.controls.map((c) => [c.controlId, { controlId: c.controlId, status: c.status, reason: c.reason, openFindings: c.findings, acceptedFindings: 0 }]));
  const perNode = new Map<string, Map<string, { open: number; accepted: number }>>();
  for (const finding of result.findings) {
    const byControl = perNode.get(finding.resource.name) ?? new Map<string, { open: number; accepted: number }>();
    const counts = byControl.get(finding.controlId) ?? { open: 0, accepted: 0 };
    if (accept(finding.controlId)) counts.accepted += 1; else counts.open += 1;
    byControl.set(finding.controlId, counts);
    perNode.set(finding.resource.name, byControl);
  }
  const cluster = result.requirements.filter((r) => r.frameworkId === frameworkId && /^[1-4]\./.test(r.requirementId));
  return { outcomes, perNode, cluster };
}

describe('nodeCisResults', () => {
  it.each(['cis-k8s-1.9', 'cis-k8s-1.12'] as const)('on a one-node kubeadm control plane equals the cluster\'s sections 1-4 items (%s)', (frameworkId) => {
    const report = fixture('kubeadm-control-plane');
    const { outcomes, perNode, cluster } = resultsOf([report], frameworkId);
    const node = nodeCisResults(report, outcomes, perNode.get(report.node.name) ?? new Map(), frameworkId);
    expect(node.fail).toBe(cluster.filter((r) => r.status === 'fail').length);
    expect(node.pass).toBe(cluster.filter((r) => r.status === 'pass').length);
    expect(node.fail).toBeGreaterThan(0);
    expect(node.providerResponsibility).toBe(0);
  });

  it('counts a worker\'s control-plane items as not assessed on a self-managed cluster, and as the provider\'s on EKS', () => {
    const cp = fixture('kubeadm-control-plane');
    const worker = fixture('kubeadm-worker');
    const selfManaged = resultsOf([cp, worker], 'cis-k8s-1.9');
    const onWorker = nodeCisResults(worker, selfManaged.outcomes, selfManaged.perNode.get(worker.node.name) ?? new Map(), 'cis-k8s-1.9');
    const onCp = nodeCisResults(cp, selfManaged.outcomes, selfManaged.perNode.get(cp.node.name) ?? new Map(), 'cis-k8s-1.9');
    expect(onWorker.pass + onWorker.fail).toBeLessThan(onCp.pass + onCp.fail);
    expect(onWorker.providerResponsibility).toBe(0);

    const eks = fixture('eks-worker');
    const managed = resultsOf([eks], 'cis-k8s-1.9');
    const onEks = nodeCisResults(eks, managed.outcomes, managed.perNode.get(eks.node.name) ?? new Map(), 'cis-k8s-1.9');
    expect(onEks.providerResponsibility).toBe(managed.cluster.filter((r) => r.status === 'provider_responsibility').length);
    expect(onEks.providerResponsibility).toBeGreaterThan(50);
  });

  it('counts an item whose only findings are risk-accepted as passed (and accepted)', () => {
    const report = fixture('kubeadm-control-plane');
    const open = resultsOf([report], 'cis-k8s-1.9');
    const accepted = resultsOf([report], 'cis-k8s-1.9', (id) => id === 'node.apiserver-profiling');
    const before = nodeCisResults(report, open.outcomes, open.perNode.get(report.node.name) ?? new Map(), 'cis-k8s-1.9');
    const after = nodeCisResults(report, accepted.outcomes, accepted.perNode.get(report.node.name) ?? new Map(), 'cis-k8s-1.9');
    expect(after.fail).toBe(before.fail - 1);
    expect(after.pass).toBe(before.pass + 1);
    expect(after.accepted).toBe(1);
  });
});
