import { describe, expect, it } from 'vitest';
import { admissionPolicyBinding, requestReadingPolicy, requireOwnerLabelPolicy, withAdmissionPolicies } from '@/lib/testing/admission-policies';
import { deployment, namespace, snapshotOf } from '@/lib/testing/k8s';
import { admissionControlId, evaluateClusterAdmissionPolicies } from './admission-policies';

const cluster = () =>
  snapshotOf([
    namespace('payments', { env: 'prod' }),
    namespace('lab', { env: 'dev' }),
    deployment({ name: 'api', namespace: 'payments' }),
    deployment({ name: 'worker', namespace: 'payments', labels: { owner: 'team-pay' } }),
    deployment({ name: 'toy', namespace: 'lab' }),
  ]);

describe("the cluster's own admission policies against what already runs", () => {
  it('reports each violating object the binding selects, with the policy, binding and actions', () => {
    const snapshot = withAdmissionPolicies(cluster(), {
      validatingadmissionpolicies: [requireOwnerLabelPolicy()],
      validatingadmissionpolicybindings: [admissionPolicyBinding('owner-prod', 'require-owner-label', { namespaceLabels: { env: 'prod' } })],
    });
    const { findings, controls, overview } = evaluateClusterAdmissionPolicies(snapshot);
    expect(findings.map((f) => [f.controlId, f.severity, f.message])).toEqual([
      ['vap.require-owner-label', 'high', 'Deployment payments/api was admitted before ValidatingAdmissionPolicy require-owner-label (binding owner-prod, actions Deny) and violates it: Deployment api has no owner label'],
    ]);
    expect(findings[0]?.evidence).toMatchObject({ type: 'admission-policy', policy: 'require-owner-label', binding: 'owner-prod', validationActions: ['Deny'], failurePolicy: 'Fail', validation: 0 });
    expect(controls).toEqual([{ controlId: 'vap.require-owner-label', status: 'fail', evaluated: 2, findings: 1 }]);
    expect(overview.policies).toEqual([
      {
        name: 'require-owner-label', controlId: 'vap.require-owner-label', failurePolicy: 'Fail',
        bindings: [{ name: 'owner-prod', validationActions: ['Deny'], status: 'evaluated', evaluated: 2, violations: 1, errors: 0, summary: '1 running Deployment predates policy require-owner-label and violates it' }],
      },
    ]);
  });

  it('gives the same fingerprint for the same problem, whatever the uid; Warn/Audit bindings report one severity lower', () => {
    const lists = { validatingadmissionpolicies: [requireOwnerLabelPolicy()], validatingadmissionpolicybindings: [admissionPolicyBinding('owner-all', 'require-owner-label', { actions: ['Warn', 'Audit'] })] };
    const first = evaluateClusterAdmissionPolicies(withAdmissionPolicies(cluster(), lists)).findings;
    const second = evaluateClusterAdmissionPolicies(withAdmissionPolicies(cluster(), lists)).findings;
    expect(first.map((f) => f.fingerprint)).toEqual(second.map((f) => f.fingerprint));
    expect(first.map((f) => [f.resource.name, f.severity])).toEqual([['api', 'medium'], ['toy', 'medium']]);
    expect(first[0]?.message).toContain('(binding owner-all, actions Warn, Audit: not denied)');
  });

  it('a policy it cannot judge is "not evaluable" with the reason, never a pass; one without binding is listed, not judged', () => {
    const snapshot = withAdmissionPolicies(cluster(), {
      validatingadmissionpolicies: [requestReadingPolicy(), requireOwnerLabelPolicy('unbound'), { ...requireOwnerLabelPolicy('crds-only'), spec: { matchConstraints: { resourceRules: [{ apiGroups: ['example.com'], resources: ['widgets'], operations: ['CREATE'] }] }, validations: [{ expression: 'true' }] } }],
      validatingadmissionpolicybindings: [admissionPolicyBinding('b1', 'no-admin-changes'), admissionPolicyBinding('b2', 'crds-only')],
    });
    const { findings, controls, overview } = evaluateClusterAdmissionPolicies(snapshot);
    expect(findings).toEqual([]);
    expect(controls.map((c) => [c.controlId, c.status, c.reason])).toEqual([
      ['vap.crds-only', 'not_applicable', 'not evaluable: it matches only resources the snapshot does not carry (widgets.example.com)'],
      ['vap.no-admin-changes', 'not_applicable', 'not evaluable: validations[0] reads `request`, which does not exist for an object already stored'],
    ]);
    expect(overview.policies.find((p) => p.name === 'unbound')?.bindings).toEqual([]);
    expect(overview.policies.find((p) => p.name === 'no-admin-changes')?.bindings[0]?.summary).toMatch(/is not evaluable: validations\[0\] reads `request`/);
  });

  it('an older agent that sent no policy lists: nothing judged, and the lists say "not collected"', () => {
    const { findings, controls, overview } = evaluateClusterAdmissionPolicies(cluster());
    expect(findings).toEqual([]);
    expect(controls).toEqual([]);
    expect(overview.lists.validatingadmissionpolicies).toMatchObject({ status: 'not_collected' });
    expect(overview.lists.kyvernopolicies).toMatchObject({ status: 'not_collected' });
  });

  it('lists Kyverno policies and Gatekeeper constraints as metadata', () => {
    const snapshot = withAdmissionPolicies(cluster(), {
      kyvernopolicies: [{ apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', metadata: { name: 'require-labels' }, spec: { validationFailureAction: 'Audit', background: true, rules: [{ name: 'check-team', type: 'validate' }] }, status: { ready: true } }],
      gatekeeperconstraints: [{ apiVersion: 'constraints.gatekeeper.sh/v1beta1', kind: 'K8sRequiredLabels', metadata: { name: 'must-have-owner' }, spec: { enforcementAction: 'dryrun' }, status: { totalViolations: 14 } }],
    });
    const { overview } = evaluateClusterAdmissionPolicies(snapshot);
    expect(overview.kyverno).toEqual([{ kind: 'ClusterPolicy', namespace: null, name: 'require-labels', action: 'Audit', background: true, rules: ['check-team'], ready: true }]);
    expect(overview.gatekeeper).toEqual([{ kind: 'K8sRequiredLabels', name: 'must-have-owner', enforcementAction: 'dryrun', totalViolations: 14 }]);
  });

  it('keeps control ids within the findings filter, stably', () => {
    const long = 'p'.repeat(253);
    expect(admissionControlId(long)).toHaveLength(200);
    expect(admissionControlId(long)).toBe(admissionControlId(long));
    expect(admissionControlId('short')).toBe('vap.short');
  });
});
