import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseSnapshot } from '@/lib/analysis/snapshot/parse';
import { startFakeApiServer, type FakeApiServer, type FakeApiServerOptions } from '../test/fake-apiserver';
import { createMemoryLogger } from './log';
import { createSnapshotMaker } from './make-snapshot';

let dir: string;
let server: FakeApiServer | undefined;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'bulwark-collect-policies-'));
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function snapshotFrom(options: FakeApiServerOptions) {
  server = await startFakeApiServer(options);
  const kubeconfig = path.join(dir, 'kubeconfig');
  await writeFile(kubeconfig, server.kubeconfig());
  const log = createMemoryLogger();
  const make = createSnapshotMaker({ kubeconfig, includeSecrets: false, env: {}, log });
  return { ...(await make()), log, requests: server.requests };
}

const AWS_KEY = 'AKIAIOSFODNN7EXAMPLE';
const VAPS = '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies';
const BINDINGS = '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings';
const policy = {
  metadata: { name: 'require-owner-label', managedFields: [{ manager: 'kubectl' }] },
  spec: {
    failurePolicy: 'Fail',
    matchConstraints: { resourceRules: [{ apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['deployments'] }] },
    validations: [{ expression: "has(object.metadata.labels) && 'owner' in object.metadata.labels", message: 'a Deployment needs an owner label' }],
  },
};
const binding = { metadata: { name: 'require-owner-label-prod' }, spec: { policyName: 'require-owner-label', validationActions: ['Deny'], matchResources: { namespaceSelector: { matchLabels: { env: 'prod' } } } } };

describe("collecting the cluster's own policies", () => {
  it('reads ValidatingAdmissionPolicies and their bindings whole', async () => {
    const { snapshot } = await snapshotFrom({ lists: { [VAPS]: [policy], [BINDINGS]: [binding] } });
    expect(snapshot.collection.validatingadmissionpolicies).toEqual({ status: 'collected', count: 1 });
    expect(snapshot.collection.validatingadmissionpolicybindings).toEqual({ status: 'collected', count: 1 });
    expect(snapshot.objects.validatingadmissionpolicies).toEqual([
      { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicy', metadata: { name: 'require-owner-label' }, spec: policy.spec },
    ]);
    expect(snapshot.objects.validatingadmissionpolicybindings?.[0]).toMatchObject({ kind: 'ValidatingAdmissionPolicyBinding', spec: binding.spec });
    expect(parseSnapshot(JSON.parse(JSON.stringify(snapshot))).ok).toBe(true);
  });

  it('marks Kyverno, PolicyReports and Gatekeeper "disabled, not installed" when their CRDs are missing, never an empty collected list', async () => {
    const { snapshot, log } = await snapshotFrom({});
    expect(snapshot.collection.kyvernopolicies).toEqual({ status: 'disabled', count: 0, message: 'kyverno.io not installed' });
    expect(snapshot.collection.policyreports).toEqual({ status: 'disabled', count: 0, message: 'wgpolicyk8s.io not installed' });
    expect(snapshot.collection.gatekeeperconstraints).toEqual({ status: 'disabled', count: 0, message: 'constraints.gatekeeper.sh not installed' });
    expect(snapshot.objects.kyvernopolicies).toBeUndefined();
    expect(snapshot.objects.policyreports).toBeUndefined();
    expect(snapshot.objects.gatekeeperconstraints).toBeUndefined();
    // A Kubernetes 1.30 server with no policy: collected, none.
    expect(snapshot.collection.validatingadmissionpolicies).toEqual({ status: 'collected', count: 0 });
    expect(snapshot.objects.validatingadmissionpolicies).toEqual([]);
    expect(log.entries).toContainEqual(expect.objectContaining({ level: 'info', msg: 'not collecting kyvernopolicies: kyverno.io not installed' }));
  });

  it('records a forbidden policy list and sends the rest', async () => {
    const { snapshot } = await snapshotFrom({ installed: ['kyverno.io'], forbidden: [VAPS, '/apis/kyverno.io/v1/policies'] });
    expect(snapshot.collection.validatingadmissionpolicies).toMatchObject({ status: 'forbidden', message: expect.stringContaining('cannot list resource "validatingadmissionpolicies"') });
    expect(snapshot.objects.validatingadmissionpolicies).toBeUndefined();
    expect(snapshot.collection.kyvernopolicies).toMatchObject({ status: 'forbidden', message: expect.stringContaining('"policies"') });
    expect(snapshot.collection.validatingadmissionpolicybindings).toEqual({ status: 'collected', count: 0 });
  });

  it('reads Kyverno policies as metadata, Gatekeeper constraints through discovery, and PolicyReports redacted', async () => {
    const { snapshot, requests } = await snapshotFrom({
      installed: ['kyverno.io', 'wgpolicyk8s.io', 'constraints.gatekeeper.sh'],
      lists: {
        '/apis/kyverno.io/v1/clusterpolicies': [
          { metadata: { name: 'require-labels' }, spec: { validationFailureAction: 'Audit', background: true, rules: [{ name: 'check-team', match: { any: [] }, validate: { message: 'label team', pattern: { metadata: { labels: { team: '?*' } } } } }] } },
        ],
        '/apis/kyverno.io/v1/policies': [{ metadata: { name: 'local', namespace: 'shop' }, spec: { rules: [{ name: 'add-label', mutate: {} }] } }],
        '/apis/wgpolicyk8s.io/v1alpha2/policyreports': [
          {
            metadata: { name: 'polr-1', namespace: 'shop' },
            results: [{ policy: 'require-labels', rule: 'check-team', result: 'fail', severity: 'medium', message: `saw ${AWS_KEY}`, resources: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'api', namespace: 'shop' }], properties: { password: 'p4ssw0rd-p4ssw0rd' } }],
          },
        ],
      },
      gatekeeperConstraints: {
        k8srequiredlabels: { kind: 'K8sRequiredLabels', items: [{ metadata: { name: 'must-have-owner' }, spec: { enforcementAction: 'warn', match: { kinds: [{ apiGroups: ['apps'], kinds: ['Deployment'] }] }, parameters: { labels: ['owner'] } }, status: { totalViolations: 14 } }] },
        k8sallowedrepos: { kind: 'K8sAllowedRepos', items: [] },
      },
    });
    expect(snapshot.collection.kyvernopolicies).toEqual({ status: 'collected', count: 2 });
    expect(snapshot.objects.kyvernopolicies?.map((p) => [p.kind, p.metadata.name, p.spec.validationFailureAction, p.spec.rules])).toEqual([
      ['ClusterPolicy', 'require-labels', 'Audit', [{ name: 'check-team', type: 'validate' }]],
      ['Policy', 'local', undefined, [{ name: 'add-label', type: 'mutate' }]],
    ]);
    expect(requests.map((r) => r.path)).toEqual(expect.arrayContaining(['/apis/constraints.gatekeeper.sh/v1beta1/k8srequiredlabels', '/apis/constraints.gatekeeper.sh/v1beta1/k8sallowedrepos']));
    expect(requests.some((r) => r.path.endsWith('/status'))).toBe(false);
    expect(snapshot.collection.gatekeeperconstraints).toEqual({ status: 'collected', count: 1 });
    expect(snapshot.objects.gatekeeperconstraints?.[0]).toEqual({
      apiVersion: 'constraints.gatekeeper.sh/v1beta1',
      kind: 'K8sRequiredLabels',
      metadata: { name: 'must-have-owner' },
      spec: { enforcementAction: 'warn', match: { kinds: [{ apiGroups: ['apps'], kinds: ['Deployment'] }] } },
      status: { totalViolations: 14 },
    });
    expect(snapshot.collection.policyreports).toEqual({ status: 'collected', count: 1 });
    const result = snapshot.objects.policyreports?.[0]?.results[0];
    expect(result).toMatchObject({ policy: 'require-labels', rule: 'check-team', result: 'fail', severity: 'medium', resources: [{ kind: 'Deployment', name: 'api', namespace: 'shop' }] });
    const sent = JSON.stringify(snapshot);
    for (const value of [AWS_KEY, 'p4ssw0rd', 'pattern', 'parameters']) expect(sent).not.toContain(value);
    expect(parseSnapshot(JSON.parse(sent)).ok).toBe(true);
  });
});

describe('Gatekeeper without the optional role', () => {
  it('is forbidden, and the message names the role to apply', async () => {
    const { snapshot } = await snapshotFrom({
      installed: ['constraints.gatekeeper.sh'],
      gatekeeperConstraints: { k8srequiredlabels: { kind: 'K8sRequiredLabels', items: [] } },
      forbidden: ['/apis/constraints.gatekeeper.sh/v1beta1/k8srequiredlabels'],
    });
    expect(snapshot.collection.gatekeeperconstraints).toMatchObject({ status: 'forbidden', message: expect.stringContaining('agent/deploy/optional/gatekeeper-constraints') });
  });
});
