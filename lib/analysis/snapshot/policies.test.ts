import { describe, expect, it } from 'vitest';
import { snapshotOf, deployment, namespace } from '@/lib/testing/k8s';
import { parseSnapshot } from './parse';
import { toGatekeeperConstraintMeta, toKyvernoPolicyMeta, toPolicyReport } from './policies';
import { POLICY_REPORT_LIMITS } from './schema';

const AWS_KEY = 'AKIAIOSFODNN7EXAMPLE';
const base = () => JSON.parse(JSON.stringify(snapshotOf([namespace('shop'), deployment({ name: 'api', namespace: 'shop' })]))) as Record<string, unknown> & { objects: Record<string, unknown> };

const vap = { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicy', metadata: { name: 'require-owner-label' }, spec: { validations: [{ expression: 'true' }] } };
const binding = { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding', metadata: { name: 'b' }, spec: { policyName: 'require-owner-label', validationActions: ['Deny'] } };

describe('the policy lists of the snapshot contract', () => {
  it('a snapshot without them (an older agent) is accepted, and nothing says they were collected', () => {
    const json = base();
    for (const list of ['validatingadmissionpolicies', 'validatingadmissionpolicybindings', 'kyvernopolicies', 'gatekeeperconstraints', 'policyreports']) delete json.objects[list];
    const result = parseSnapshot(json);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.snapshot.objects.validatingadmissionpolicies).toBeUndefined();
    expect(result.snapshot.collection.validatingadmissionpolicies).toBeUndefined();
  });

  it('carries admission policies whole, and Kyverno, Gatekeeper and PolicyReports as shaped by the agent', () => {
    const json = base();
    json.objects.validatingadmissionpolicies = [vap];
    json.objects.validatingadmissionpolicybindings = [binding];
    json.objects.kyvernopolicies = [
      toKyvernoPolicyMeta({
        apiVersion: 'kyverno.io/v1',
        kind: 'ClusterPolicy',
        metadata: { name: 'require-labels' },
        spec: { validationFailureAction: 'Audit', background: true, rules: [{ name: 'check-team', match: {}, validate: { pattern: { metadata: { labels: { team: '?*' } } } } }] },
        status: { conditions: [{ type: 'Ready', status: 'True' }] },
      }),
    ];
    json.objects.gatekeeperconstraints = [
      toGatekeeperConstraintMeta({
        apiVersion: 'constraints.gatekeeper.sh/v1beta1',
        kind: 'K8sRequiredLabels',
        metadata: { name: 'must-have-owner' },
        spec: { enforcementAction: 'dryrun', match: { kinds: [{ apiGroups: ['apps'], kinds: ['Deployment'] }] }, parameters: { labels: ['owner'] } },
        status: { totalViolations: 14, byPod: [{ id: 'x' }] },
      }),
    ];
    json.objects.policyreports = [
      toPolicyReport({
        apiVersion: 'wgpolicyk8s.io/v1alpha2',
        kind: 'PolicyReport',
        metadata: { name: 'polr-ns-shop', namespace: 'shop' },
        summary: { pass: 1, fail: 1 },
        results: [
          { policy: 'require-labels', rule: 'check-team', result: 'fail', severity: 'medium', category: 'Best Practices', message: `label team is required, saw ${AWS_KEY}`, resources: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'api', namespace: 'shop' }], scored: true, properties: { DB_PASSWORD: 'hunter2hunter2', note: 'fine' } },
          { policy: 'require-labels', rule: 'check-team', result: 'pass' },
          { policy: 'broken', result: 'maybe' },
        ],
      }),
    ];
    const result = parseSnapshot(json);
    expect(result.ok ? [] : result.issues).toEqual([]);
    if (!result.ok) return;
    const { objects } = result.snapshot;
    expect(objects.kyvernopolicies?.[0]?.spec).toEqual({ validationFailureAction: 'Audit', background: true, rules: [{ name: 'check-team', type: 'validate' }] });
    expect(objects.kyvernopolicies?.[0]?.status).toEqual({ ready: true });
    expect(objects.gatekeeperconstraints?.[0]).toMatchObject({ kind: 'K8sRequiredLabels', spec: { enforcementAction: 'dryrun' }, status: { totalViolations: 14 } });
    expect(JSON.stringify(objects.gatekeeperconstraints)).not.toContain('parameters');
    const report = objects.policyreports?.[0];
    expect(report?.results).toHaveLength(2);
    const failing = report?.results[0];
    expect(failing?.message).toMatch(/^bulwark-redacted:/);
    expect(failing?.properties?.DB_PASSWORD).toMatchObject({ redacted: true, reason: 'sensitive-name' });
    expect(failing?.properties?.note).toBe('fine');
    expect(JSON.stringify(report)).not.toContain(AWS_KEY);
    expect(JSON.stringify(report)).not.toContain('hunter2');
  });

  it('refuses a PolicyReport that carries a credential, naming where', () => {
    const json = base();
    json.objects.policyreports = [{ apiVersion: 'wgpolicyk8s.io/v1alpha2', kind: 'PolicyReport', metadata: { name: 'r', namespace: 'shop' }, results: [{ policy: 'p', result: 'fail', message: `found ${AWS_KEY}`, properties: { api_key: 'sk-live-0123456789abcdef' } }] }];
    const result = parseSnapshot(json);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => i.path)).toEqual(['objects.policyreports[0].results[0].message', 'objects.policyreports[0].results[0].properties.api_key']);
  });

  it('refuses rule bodies in a Kyverno policy and parameters in a constraint (metadata only)', () => {
    const json = base();
    json.objects.kyvernopolicies = [{ apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', metadata: { name: 'p' }, spec: { rules: [{ name: 'r', validate: { pattern: {} } }] } }];
    json.objects.gatekeeperconstraints = [{ apiVersion: 'constraints.gatekeeper.sh/v1beta1', kind: 'K8sRequiredLabels', metadata: { name: 'c' }, spec: { parameters: {} } }];
    const result = parseSnapshot(json);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => i.path).sort()).toEqual(['objects.gatekeeperconstraints[0].spec', 'objects.kyvernopolicies[0].spec.rules[0]']);
  });

  it('caps a PolicyReport at its limit, failing results first, and counts what it left out', () => {
    const results = Array.from({ length: POLICY_REPORT_LIMITS.results + 10 }, (_, i) => ({ policy: 'p', result: i < 10 ? 'pass' : i === POLICY_REPORT_LIMITS.results + 9 ? 'fail' : 'pass' }));
    const report = toPolicyReport({ apiVersion: 'wgpolicyk8s.io/v1alpha2', kind: 'ClusterPolicyReport', metadata: { name: 'c' }, results });
    expect(report.results).toHaveLength(POLICY_REPORT_LIMITS.results);
    expect(report.results[0]?.result).toBe('fail');
    expect(report.resultsOmitted).toBe(10);
  });
});

describe('shaping policy objects twice (a snapshot read back)', () => {
  it('gives the same object', () => {
    const kyverno = toKyvernoPolicyMeta({ apiVersion: 'kyverno.io/v1', kind: 'Policy', metadata: { name: 'p', namespace: 'shop' }, spec: { rules: [{ name: 'r', validate: { failureAction: 'Enforce', pattern: {} } }] } });
    expect(toKyvernoPolicyMeta(kyverno)).toEqual(kyverno);
    const report = toPolicyReport({ apiVersion: 'wgpolicyk8s.io/v1alpha2', kind: 'PolicyReport', metadata: { name: 'r', namespace: 'shop' }, results: [{ policy: 'p', result: 'fail', properties: { password: 'correct-horse-battery' } }], resultsOmitted: 3 });
    expect(toPolicyReport(report)).toEqual(report);
    expect(report.resultsOmitted).toBe(3);
  });
});
