import { describe, expect, it } from 'vitest';
import { deployment, namespace, snapshotOf } from '@/lib/testing/k8s';
import { describeVapResult, evaluateAdmissionPolicies, type VapBinding, type VapPolicy } from './vap';

const objects = snapshotOf([
  namespace('shop', { env: 'prod' }),
  namespace('lab', { env: 'dev' }),
  deployment({ name: 'web', namespace: 'shop', labels: { owner: 'team-web' } }),
  deployment({ name: 'cart', namespace: 'shop' }),
  deployment({ name: 'legacy', namespace: 'shop', labels: { 'skip-policy': 'true' } }),
  deployment({ name: 'toy', namespace: 'lab' }),
]).objects;

const requireOwner: VapPolicy = {
  metadata: { name: 'require-owner-label' },
  spec: {
    failurePolicy: 'Fail',
    matchConstraints: { resourceRules: [{ apiGroups: ['apps'], resources: ['deployments'], operations: ['CREATE', 'UPDATE'] }] },
    matchConditions: [{ name: 'not-skipped', expression: '!has(object.metadata.labels) || !("skip-policy" in object.metadata.labels)' }],
    variables: [{ name: 'labels', expression: 'has(object.metadata.labels) ? object.metadata.labels : {}' }, { name: 'hasOwner', expression: '"owner" in variables.labels' }],
    validations: [{ expression: 'variables.hasOwner', messageExpression: '"Deployment " + object.metadata.name + " has no owner label"' }],
  },
};
const binding = (matchResources?: VapBinding['spec']['matchResources'], validationActions = ['Deny']): VapBinding => ({
  metadata: { name: 'require-owner-label-binding' },
  spec: { policyName: 'require-owner-label', validationActions, ...(matchResources ? { matchResources } : {}) },
});

describe('ValidatingAdmissionPolicies against the objects already running', () => {
  it('reports what predates the policy, honouring matchConditions and variables', () => {
    const [result] = evaluateAdmissionPolicies([requireOwner], [binding()], objects);
    expect(result).toMatchObject({ status: 'evaluated', evaluated: 3, validationActions: ['Deny'] });
    expect(result?.violations.map((v) => `${v.ref.namespace}/${v.ref.name}: ${v.message}`).sort()).toEqual([
      'lab/toy: Deployment toy has no owner label',
      'shop/cart: Deployment cart has no owner label',
    ]);
    expect(describeVapResult(result!)).toBe('2 running Deployments predate policy require-owner-label and violate it');
  });

  it('a binding that selects only some namespaces judges only those', () => {
    const [result] = evaluateAdmissionPolicies([requireOwner], [binding({ namespaceSelector: { matchLabels: { env: 'prod' } } }, ['Warn', 'Audit'])], objects);
    expect(result?.violations.map((v) => v.ref.name)).toEqual(['cart']);
    expect(result?.validationActions).toEqual(['Warn', 'Audit']);
  });

  it('a policy using parameters, request or functions the evaluator lacks is not evaluable, with the reason', () => {
    const withParams = { ...requireOwner, metadata: { name: 'p1' }, spec: { ...requireOwner.spec, paramKind: { apiVersion: 'v1', kind: 'ConfigMap' } } };
    const withRequest = { ...requireOwner, metadata: { name: 'p2' }, spec: { ...requireOwner.spec, validations: [{ expression: 'request.userInfo.username != "admin"' }] } };
    const withQuantity = { ...requireOwner, metadata: { name: 'p3' }, spec: { ...requireOwner.spec, validations: [{ expression: 'quantity("1Gi").isLessThan(quantity("2Gi"))' }] } };
    const results = evaluateAdmissionPolicies([withParams, withRequest, withQuantity], ['p1', 'p2', 'p3', 'missing'].map((name) => ({ metadata: { name: `${name}-b` }, spec: { policyName: name } })), objects);
    expect(results.map((r) => [r.policy, r.status])).toEqual([['p1', 'not_evaluable'], ['p2', 'not_evaluable'], ['p3', 'not_evaluable'], ['missing', 'not_evaluable']]);
    expect(results[0]?.reason).toMatch(/paramKind/);
    expect(results[1]?.reason).toMatch(/reads `request`/);
    expect(results[2]?.reason).toMatch(/quantity/);
    expect(results[3]?.reason).toBe('the policy missing was not collected');
  });
});
