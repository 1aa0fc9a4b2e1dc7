import { describe, expect, it } from 'vitest';
import { evaluate } from '@/lib/analysis/engine';
import type { KubeObject } from '@/lib/analysis/snapshot/schema';
import { deployment, namespace, networkPolicy, snapshotOf } from '@/lib/testing/k8s';

const NOW = new Date('2025-01-01T00:00:00Z');
const run = (controlId: string, objects: KubeObject[]) => evaluate(snapshotOf(objects), { now: NOW, controlIds: [controlId] });
const findingsOf = (controlId: string, objects: KubeObject[]) => run(controlId, objects).findings;

const DENY = networkPolicy({ name: 'default-deny' });
const ALLOW_ALL_INGRESS = networkPolicy({ name: 'allow-all' }, { podSelector: {}, ingress: [{}] });
const web = deployment({ name: 'web' });
const api = deployment({ name: 'api' });

describe('network.policy-isolates-nothing', () => {
  it('reports a policy whose podSelector matches no workload, and passes one that selects', () => {
    const ghost = networkPolicy({ name: 'ghost' }, { podSelector: { matchLabels: { app: 'retired' } }, policyTypes: ['Ingress'] });
    const real = networkPolicy({ name: 'web-only' }, { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'] });
    const findings = findingsOf('network.policy-isolates-nothing', [web, ghost, real]);
    expect(findings.map((f) => [f.resource.name, f.message])).toEqual([['ghost', 'NetworkPolicy ghost isolates nothing: its podSelector matches no workload in the namespace']]);
    expect(findings[0]?.evidence).toEqual({ type: 'path', path: 'spec.podSelector', value: { matchLabels: { app: 'retired' } } });
  });

  it('reports a policy that allows everything in every direction it declares, naming the rule', () => {
    const findings = findingsOf('network.policy-isolates-nothing', [web, ALLOW_ALL_INGRESS]);
    expect(findings.map((f) => f.message)).toEqual([
      'NetworkPolicy allow-all isolates nothing: every direction it declares (Ingress) has a rule that allows all traffic on all ports (spec.ingress[0])',
    ]);
  });

  it('passes a default deny, even in a namespace with no workload yet', () => {
    expect(findingsOf('network.policy-isolates-nothing', [web, DENY])).toEqual([]);
    expect(findingsOf('network.policy-isolates-nothing', [DENY])).toEqual([]);
  });

  it('is not applicable when Pods were not collected (it cannot tell what a selector matches)', () => {
    const result = evaluate(snapshotOf([DENY], { collection: { pods: { status: 'forbidden', count: 0 } } }), { now: NOW, controlIds: ['network.policy-isolates-nothing'] });
    expect(result.controls[0]?.status).toBe('not_applicable');
  });
});

describe('namespace.default-deny-missing with NetworkPolicy semantics', () => {
  it('reports a default deny undone by an allow-all rule beside it, naming the policy and rule', () => {
    const findings = findingsOf('namespace.default-deny-missing', [namespace('team-a'), web, DENY, ALLOW_ALL_INGRESS]);
    expect(findings.map((f) => f.message)).toEqual([
      "namespace team-a's default deny for Ingress (NetworkPolicy default-deny) is undone: NetworkPolicy allow-all spec.ingress[0] allows every peer on all ports for every pod",
    ]);
    expect(findings[0]?.evidence).toMatchObject({ type: 'path', path: 'spec.ingress[0]', object: { kind: 'NetworkPolicy', name: 'allow-all' } });
  });

  it('keeps the default deny when the allow-all rule is for some pods only', () => {
    const webOpen = networkPolicy({ name: 'web-open' }, { podSelector: { matchLabels: { app: 'web' } }, ingress: [{}] });
    expect(findingsOf('namespace.default-deny-missing', [namespace('team-a'), web, DENY, webOpen])).toEqual([]);
  });
});

describe('namespace.network-policy-missing with NetworkPolicy semantics', () => {
  it('counts policies that isolate nothing as absent when workloads run there', () => {
    const ghost = networkPolicy({ name: 'ghost' }, { podSelector: { matchLabels: { app: 'retired' } } });
    const findings = findingsOf('namespace.network-policy-missing', [namespace('team-a'), web, ghost, ALLOW_ALL_INGRESS]);
    expect(findings.map((f) => f.message)).toEqual([
      'namespace team-a has NetworkPolicies (ghost, allow-all) but none isolates anything: its 1 workload(s) accept traffic from anywhere in the cluster (see network.policy-isolates-nothing)',
    ]);
  });

  it('passes when one policy isolates something', () => expect(findingsOf('namespace.network-policy-missing', [namespace('team-a'), web, DENY, ALLOW_ALL_INGRESS])).toEqual([]));
});

describe('workload.network-isolation with NetworkPolicy semantics', () => {
  it('reports a workload selected for Ingress whose policies include an allow-all rule (beside a default deny)', () => {
    const findings = findingsOf('workload.network-isolation', [web, DENY, ALLOW_ALL_INGRESS]);
    expect(findings.map((f) => f.message)).toEqual([
      'Deployment team-a/web is selected for Ingress but NetworkPolicy allow-all spec.ingress[0] allows every peer on all ports, so that traffic is unrestricted',
    ]);
  });

  it('still reports a direction no policy selects, and passes a default deny', () => {
    const ingressOnly = networkPolicy({ name: 'in' }, { podSelector: {}, policyTypes: ['Ingress'] });
    expect(findingsOf('workload.network-isolation', [web, ingressOnly]).map((f) => f.message)).toEqual([
      'Deployment team-a/web is selected by no NetworkPolicy for Egress, so that traffic is unrestricted',
    ]);
    expect(findingsOf('workload.network-isolation', [web, DENY])).toEqual([]);
  });
});

describe('workload.reachable-from-all-namespaces', () => {
  it('reports namespaceSelector: {} with the policy, rule and peer, only for the workloads it selects', () => {
    const monitoring = networkPolicy(
      { name: 'allow-scrape' },
      { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ podSelector: {} }] }, { from: [{ namespaceSelector: {}, podSelector: { matchLabels: { app: 'prometheus' } } }], ports: [{ port: 9090 }] }] },
    );
    const findings = findingsOf('workload.reachable-from-all-namespaces', [web, api, DENY, monitoring]);
    expect(findings.map((f) => [f.resource.name, f.message])).toEqual([
      ['web', 'Deployment team-a/web accepts traffic from every namespace: NetworkPolicy allow-scrape spec.ingress[1].from[0] allows every namespace (namespaceSelector: {}) on TCP/9090'],
    ]);
    expect(findings[0]?.evidence).toEqual({
      type: 'path',
      path: 'spec.ingress[1].from[0]',
      value: { policy: 'allow-scrape', rule: 1, peer: 0, scope: 'all-namespaces', ports: 'TCP/9090' },
      object: { kind: 'NetworkPolicy', name: 'allow-scrape' },
    });
  });

  it('leaves a workload no policy selects, or one opened by an allow-all rule, to workload.network-isolation', () => {
    expect(findingsOf('workload.reachable-from-all-namespaces', [web])).toEqual([]);
    expect(findingsOf('workload.reachable-from-all-namespaces', [web, ALLOW_ALL_INGRESS])).toEqual([]);
  });
});

describe('workload.reachable-from-internet', () => {
  it('reports an ipBlock of 0.0.0.0/0 (with except) and a rule with no from that lists ports', () => {
    const lb = networkPolicy({ name: 'from-anywhere' }, { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.169.254/32'] } }], ports: [{ port: 443 }] }] });
    const anyPeer = networkPolicy({ name: 'port-only' }, { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ ports: [{ port: 8080 }] }] });
    const findings = findingsOf('workload.reachable-from-internet', [web, api, lb, anyPeer]);
    expect(findings.map((f) => f.message)).toEqual([
      'Deployment team-a/web accepts traffic from outside the cluster: NetworkPolicy from-anywhere spec.ingress[0].from[0] allows 0.0.0.0/0 except 169.254.169.254/32 on TCP/443',
      'Deployment team-a/api accepts traffic from outside the cluster: NetworkPolicy port-only spec.ingress[0] allows every peer on TCP/8080',
    ]);
  });

  it('passes narrow address blocks', () => {
    const office = networkPolicy({ name: 'office' }, { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '203.0.113.0/24' } }] }] });
    expect(findingsOf('workload.reachable-from-internet', [web, office])).toEqual([]);
  });
});

describe('workload.egress-to-internet', () => {
  it('reports egress to ::/0 on every port, and passes DNS to anywhere', () => {
    const open = networkPolicy({ name: 'egress-open' }, { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '::/0' } }] }] });
    const dns = networkPolicy({ name: 'dns' }, { podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Egress'], egress: [{ ports: [{ port: 53, protocol: 'UDP' }] }] });
    const findings = findingsOf('workload.egress-to-internet', [web, api, open, dns]);
    expect(findings.map((f) => f.message)).toEqual([
      'Deployment team-a/web may send traffic anywhere on the internet: NetworkPolicy egress-open spec.egress[0].to[0] allows ::/0 on all ports',
    ]);
  });
});

describe('the NetworkPolicy controls in the frameworks the reports show', () => {
  it('fail CIS 5.3.2 and ISO 27001 A.8.22 through their mappings', () => {
    const open = networkPolicy({ name: 'open' }, { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress', 'Egress'], ingress: [{ from: [{ namespaceSelector: {} }, { ipBlock: { cidr: '0.0.0.0/0' } }] }], egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }] });
    const ghost = networkPolicy({ name: 'ghost' }, { podSelector: { matchLabels: { app: 'gone' } } });
    const result = evaluate(snapshotOf([namespace('team-a'), web, DENY, open, ghost]), { now: NOW });
    const mine = ['network.policy-isolates-nothing', 'workload.reachable-from-all-namespaces', 'workload.reachable-from-internet', 'workload.egress-to-internet'];
    for (const [frameworkId, requirementId] of [['cis-k8s-1.9', '5.3.2'], ['iso27001-2022', 'A.8.22']] as const) {
      const failing = result.requirements.find((r) => r.frameworkId === frameworkId && r.requirementId === requirementId)?.failingControlIds ?? [];
      expect(failing, `${frameworkId} ${requirementId}`).toEqual(expect.arrayContaining(mine));
    }
  });
});
