import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { systemContext } from '../../platform/auth/context';
import { disconnectDb } from '../../platform/db/client';
import { dbFor } from '../../platform/db/tenant';
import { closeProducers } from '../../platform/queue/producers';
import { createClusterWithToken, createMember, createOrg } from '../../testing/factories';
import { container, deployment, namespace, snapshotOf } from '../../testing/k8s';
import { pushSnapshot } from '../../testing/push';
import type { Snapshot } from '../../analysis/snapshot/schema';
import { evaluateStoredSnapshot } from './evaluate-stored-snapshot';
import { policyReportSummary } from './policy-report-summary';
import { getFinding } from '../findings/get-finding';
import { loadReportData } from '../reports/report-data';
import { getDashboard } from '../dashboard/get-dashboard';

afterAll(async () => { await closeProducers(); await disconnectDb(); });

const CONTROL = 'policyreport.kyverno.require-labels';
const shop = namespace('shop');
const web = deployment({ namespace: 'shop', name: 'web' }, { containers: [container({ name: 'app' })] });
const api = deployment({ namespace: 'shop', name: 'api' }, { containers: [container({ name: 'app' })] });
const ref = (name: string) => ({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name });

/** Kyverno's ClusterPolicy as the agent sends it (metadata and rule names), with the severity annotation. */
const requireLabels = {
  apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy',
  metadata: { name: 'require-labels', annotations: { 'policies.kyverno.io/severity': 'high', 'policies.kyverno.io/category': 'Best Practices' } },
  spec: { validationFailureAction: 'Audit', background: true, rules: [{ name: 'check-team', type: 'validate' }] },
};

function policyReport(results: { name: string; result: 'pass' | 'fail' }[]) {
  return {
    apiVersion: 'wgpolicyk8s.io/v1alpha2', kind: 'PolicyReport',
    metadata: { name: 'polr-ns-shop', namespace: 'shop' },
    summary: { pass: results.filter((r) => r.result === 'pass').length, fail: results.filter((r) => r.result === 'fail').length },
    results: results.map((r) => ({
      source: 'kyverno', policy: 'require-labels', rule: 'check-team', result: r.result, scored: true,
      message: r.result === 'fail' ? "validation error: label 'team' is required. rule check-team failed at path /metadata/labels/team/" : 'validation rule check-team passed',
      resources: [ref(r.name)],
    })),
  };
}

function snapshotAt(day: number, results: { name: string; result: 'pass' | 'fail' }[]): Snapshot {
  const base = snapshotOf([shop, web, api], { collectedAt: `2026-12-0${day}T10:00:00Z`, clusterUid: 'kube-system-uid-policy-reports' });
  const lists = { kyvernopolicies: [requireLabels], policyreports: [policyReport(results)] };
  return { ...base, objects: { ...base.objects, ...lists } as unknown as Snapshot['objects'] };
}

let org: Awaited<ReturnType<typeof createOrg>>;
let token: string;
let cluster: { id: string };

beforeEach(async () => {
  org = await createOrg();
  ({ cluster, token } = await createClusterWithToken(org, 'prod'));
});

async function pushAndEvaluate(snapshot: Snapshot, at: string) {
  const pushed = await pushSnapshot(token, snapshot);
  expect(pushed.status).toBe('queued');
  const outcome = await evaluateStoredSnapshot(systemContext(org.id, 'test'), pushed.snapshotId, () => new Date(at));
  expect(outcome.outcome).toBe('done');
  return outcome;
}

describe('PolicyReport results through the pipeline', () => {
  it('opens a finding per failed result, and resolves the one whose result turns pass in the next snapshot', async () => {
    await pushAndEvaluate(snapshotAt(1, [{ name: 'web', result: 'fail' }, { name: 'api', result: 'fail' }]), '2026-12-01T10:01:00Z');
    const db = dbFor({ organizationId: org.id });
    const opened = await db.finding.findMany({ where: { controlId: CONTROL }, orderBy: { resourceName: 'asc' } });
    expect(opened.map((f) => [f.resourceName, f.status, f.severity])).toEqual([['api', 'OPEN', 'HIGH'], ['web', 'OPEN', 'HIGH']]);
    expect(opened[0]).toMatchObject({
      resourceKind: 'Deployment', resourceNamespace: 'shop',
      message: "rule check-team: validation error: label 'team' is required. rule check-team failed at path /metadata/labels/team/",
      evidence: { type: 'imported', source: 'Kyverno', policy: 'require-labels', rule: 'check-team', result: 'fail', category: 'Best Practices', severitySource: 'policy' },
    });

    // The finding page names the engine's policy and rule, says where the result comes from, and maps it to nothing.
    const viewer = await createMember(org, 'VIEWER');
    const page = await getFinding(viewer.ctx, opened[0]!.id);
    expect(page.control).toMatchObject({
      title: 'Kyverno policy require-labels / rule check-team',
      rationale: expect.stringContaining('Kyverno reported this result in PolicyReport shop/polr-ns-shop'),
      remediation: expect.stringContaining('satisfies Kyverno policy `require-labels` (rule `check-team`)'),
    });
    expect(page.mappings).toEqual([]);
    // One dashboard: the organization's most failing controls name it by engine and policy.
    expect((await getDashboard(viewer.ctx)).topFailingControls).toContainEqual(expect.objectContaining({ controlId: CONTROL, title: 'Kyverno policy require-labels', open: 2 }));

    await pushAndEvaluate(snapshotAt(2, [{ name: 'web', result: 'pass' }, { name: 'api', result: 'fail' }]), '2026-12-02T10:01:00Z');
    const after = await db.finding.findMany({ where: { controlId: CONTROL }, orderBy: { resourceName: 'asc' } });
    expect(after.map((f) => [f.resourceName, f.status, f.resolutionReason])).toEqual([['api', 'OPEN', null], ['web', 'RESOLVED', 'FIXED']]);
    expect(after.map((f) => f.id).sort()).toEqual(opened.map((f) => f.id).sort());
  });

  it('records the imported control\'s counts with the evaluation and keeps it out of every requirement', async () => {
    await pushAndEvaluate(snapshotAt(1, [{ name: 'web', result: 'fail' }, { name: 'api', result: 'pass' }]), '2026-12-01T10:01:00Z');
    const db = dbFor({ organizationId: org.id });
    const run = await db.evaluationRun.findFirstOrThrow({ select: { controlResults: true, requirementResults: true } });
    const outcomes = run.controlResults as { controlId: string; status: string; imported?: unknown }[];
    expect(outcomes.find((o) => o.controlId === CONTROL)).toMatchObject({
      status: 'fail', evaluated: 2, findings: 1, imported: { source: 'Kyverno', pass: 1, fail: 1, warn: 0, error: 0, skip: 0 },
    });
    const requirements = run.requirementResults as { controlIds: string[] }[];
    expect(requirements.some((r) => r.controlIds.some((id) => id.startsWith('policyreport.')))).toBe(false);

    // A report lists the imported finding by its engine and policy, mapped to no CIS or ISO item.
    const report = await loadReportData(systemContext(org.id, 'test'), {
      id: '00000000-0000-4000-8000-000000000000', frameworkId: 'iso27001-2022', periodStart: new Date('2026-11-01T00:00:00Z'), periodEnd: new Date('2026-12-03T00:00:00Z'), clusterIds: [], requestedById: null,
    });
    const listed = [];
    for await (const page of report.findings()) listed.push(...page.filter((f) => f.controlId === CONTROL));
    expect(listed).toEqual([expect.objectContaining({ controlTitle: 'Kyverno policy require-labels', name: 'web', cisIds: [], isoIds: [] })]);
  });

  it('summarizes what the cluster imported for its page, and answers another organization\'s member not found', async () => {
    const viewer = await createMember(org, 'VIEWER');
    expect(await policyReportSummary(viewer.ctx, cluster.id)).toBeNull(); // not evaluated yet
    await pushAndEvaluate(snapshotAt(1, [{ name: 'web', result: 'fail' }, { name: 'api', result: 'pass' }]), '2026-12-01T10:01:00Z');
    expect(await policyReportSummary(viewer.ctx, cluster.id)).toEqual({ sources: ['Kyverno'], policies: 1, results: 2, pass: 1, fail: 1, warn: 0, error: 0, skip: 0 });
    const other = await createMember(await createOrg(), 'OWNER');
    await expect(policyReportSummary(other.ctx, cluster.id)).rejects.toMatchObject({ code: 'not_found' });
  });
});
