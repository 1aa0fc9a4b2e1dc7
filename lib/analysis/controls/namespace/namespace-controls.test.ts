import { describe, expect, it } from 'vitest';
import { evaluate } from '@/lib/analysis/engine';
import type { KubeObject, SecretMeta } from '@/lib/analysis/snapshot/schema';
import { deployment, ingress, namespace, networkPolicy, secretMeta, service, serviceAccount, snapshotOf } from '@/lib/testing/k8s';

const NOW = new Date('2025-01-01T00:00:00Z');
const findingsOf = (controlId: string, objects: (KubeObject | SecretMeta)[]) => evaluate(snapshotOf(objects), { now: NOW, controlIds: [controlId] }).findings;

describe('namespace.network-policy-missing', () => {
  it('reports a namespace with no NetworkPolicy, including one known only from its workloads', () => {
    const findings = findingsOf('namespace.network-policy-missing', [namespace('team-a'), deployment({ namespace: 'team-b' })]);
    expect(findings.map((f) => f.message)).toEqual([
      'namespace team-a has no NetworkPolicy: its 0 workload(s) accept traffic from anywhere in the cluster',
      'namespace team-b has no NetworkPolicy: its 1 workload(s) accept traffic from anywhere in the cluster',
    ]);
  });
  it('passes a namespace with a policy', () => expect(findingsOf('namespace.network-policy-missing', [namespace('team-a'), networkPolicy()])).toEqual([]));
});

describe('namespace.default-deny-missing', () => {
  it('says which direction has no default deny', () => {
    const ingressOnly = networkPolicy({}, { podSelector: {}, policyTypes: ['Ingress'] });
    expect(findingsOf('namespace.default-deny-missing', [namespace('team-a'), ingressOnly]).map((f) => f.message)).toEqual([
      'namespace team-a has NetworkPolicies but no default deny for Egress: pods no policy selects accept that traffic',
    ]);
  });
  it('reports policies that select only some pods', () => {
    const partial = networkPolicy({ name: 'web' }, { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress', 'Egress'] });
    expect(findingsOf('namespace.default-deny-missing', [namespace('team-a'), partial])[0]?.message).toMatch(/no default deny for Ingress or Egress/);
  });
  it('passes a default deny in both directions', () => expect(findingsOf('namespace.default-deny-missing', [namespace('team-a'), networkPolicy()])).toEqual([]));
});

describe('namespace.pod-security-admission', () => {
  it('reports a namespace without an enforce label, or enforcing privileged', () => {
    const findings = findingsOf('namespace.pod-security-admission', [namespace('none', {}), namespace('open', { 'pod-security.kubernetes.io/enforce': 'privileged' }), namespace('ok')]);
    expect(findings.map((f) => f.resource.name)).toEqual(['none', 'open']);
  });
});

describe('network and secrets controls', () => {
  it('reports an Ingress without TLS', () => {
    expect(findingsOf('network.ingress-without-tls', [ingress({ name: 'plain' }, { rules: [] }), ingress({ name: 'tls' })]).map((f) => f.resource.name)).toEqual(['plain']);
  });
  it('reports LoadBalancer and NodePort Services, lower when source ranges restrict them', () => {
    const findings = findingsOf('network.exposed-service', [
      service({ name: 'lb' }, { type: 'LoadBalancer' }),
      service({ name: 'lb-restricted' }, { type: 'LoadBalancer', loadBalancerSourceRanges: ['10.0.0.0/8'] }),
      service({ name: 'np' }, { type: 'NodePort' }),
      service({ name: 'internal' }),
    ]);
    expect(findings.map((f) => [f.resource.name, f.severity])).toEqual([['lb', 'medium'], ['lb-restricted', 'low'], ['np', 'low']]);
  });
  it('reports legacy long-lived ServiceAccount token Secrets', () => {
    const token = secretMeta({ name: 'ci-token', annotations: { 'kubernetes.io/service-account.name': 'ci' } }, 'kubernetes.io/service-account-token', ['token']);
    expect(findingsOf('secrets.legacy-service-account-token', [token, secretMeta()]).map((f) => f.message)).toEqual([
      'Secret ci-token is a long-lived token for ServiceAccount ci that never expires',
    ]);
  });
  it('reports a default ServiceAccount that mounts its token', () => {
    const objects = [serviceAccount({ name: 'default' }), serviceAccount({ name: 'default', namespace: 'quiet' }, { automountServiceAccountToken: false }), serviceAccount({ name: 'app' })];
    expect(findingsOf('serviceaccount.default-automount', objects).map((f) => f.resource.namespace)).toEqual(['team-a']);
  });
});
