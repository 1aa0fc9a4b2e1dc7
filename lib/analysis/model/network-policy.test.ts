import { describe, expect, it } from 'vitest';
import { networkPolicy } from '@/lib/testing/k8s';
import { defaultDenyOf, effectiveIsolation, isAnyAddress, isolatesNothing } from './network-policy';
import { readNetworkPolicy } from './targets';

type Spec = Record<string, unknown>;
const policy = (name: string, spec: Spec) => readNetworkPolicy(networkPolicy({ name }, spec));
const web = { app: 'web', tier: 'front' };
const DENY_ALL = { podSelector: {}, policyTypes: ['Ingress', 'Egress'] };

describe('effectiveIsolation', () => {
  it('leaves a pod no policy selects unisolated in both directions', () => {
    const state = effectiveIsolation([policy('db', { podSelector: { matchLabels: { app: 'db' } } })], web);
    expect(state.Ingress.selectedBy).toEqual([]);
    expect(state.Egress.selectedBy).toEqual([]);
  });

  it('defaults policyTypes to Ingress, and adds Egress only when egress rules exist', () => {
    const ingressOnly = policy('a', { podSelector: {} });
    const withEgress = policy('b', { podSelector: {}, egress: [{ to: [{ podSelector: {} }] }] });
    expect(ingressOnly.policyTypes).toEqual(['Ingress']);
    expect(withEgress.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(effectiveIsolation([ingressOnly], web).Egress.selectedBy).toEqual([]);
    expect(effectiveIsolation([withEgress], web).Egress.selectedBy.map((p) => p.object.metadata.name)).toEqual(['b']);
  });

  it('selects with matchExpressions (In, NotIn, Exists, DoesNotExist)', () => {
    const selects = (expression: Spec) => effectiveIsolation([policy('p', { podSelector: { matchExpressions: [expression] } })], web).Ingress.selectedBy.length === 1;
    expect(selects({ key: 'app', operator: 'In', values: ['web', 'api'] })).toBe(true);
    expect(selects({ key: 'app', operator: 'NotIn', values: ['web'] })).toBe(false);
    expect(selects({ key: 'tier', operator: 'Exists' })).toBe(true);
    expect(selects({ key: 'tier', operator: 'DoesNotExist' })).toBe(false);
  });

  it('reads an ingress rule `{}` as every peer on every port, naming the policy and rule', () => {
    const state = effectiveIsolation([policy('deny', DENY_ALL), policy('allow-all', { podSelector: {}, ingress: [{}] })], web);
    expect(state.Ingress.allowAll).toMatchObject({ policy: 'allow-all', ruleIndex: 0, scope: 'everything', allPorts: true, path: 'spec.ingress[0]' });
    // Egress is still denied: the allow-all policy declares only Ingress.
    expect(state.Egress.allowAll).toBeUndefined();
    expect(state.Egress.selectedBy.map((p) => p.object.metadata.name)).toEqual(['deny']);
  });

  it('treats empty from and ports lists like missing ones', () => {
    const state = effectiveIsolation([policy('p', { podSelector: {}, ingress: [{ from: [], ports: [] }] })], web);
    expect(state.Ingress.allowAll).toMatchObject({ scope: 'everything', ports: 'all ports' });
  });

  it('names the ports of a rule with no peers but limited ports, which is not allow-all', () => {
    const state = effectiveIsolation([policy('p', { podSelector: {}, ingress: [{ ports: [{ port: 8080 }, { protocol: 'UDP', port: 53, endPort: 60 }] }] })], web);
    expect(state.Ingress.allowAll).toBeUndefined();
    expect(state.Ingress.openings).toEqual([expect.objectContaining({ scope: 'everything', allPorts: false, ports: 'TCP/8080, UDP/53-60' })]);
  });

  it('finds namespaceSelector: {} (with or without a podSelector) as every namespace', () => {
    const state = effectiveIsolation(
      [
        policy('p', {
          podSelector: { matchLabels: { app: 'web' } },
          ingress: [
            { from: [{ podSelector: { matchLabels: { app: 'lb' } } }] },
            { from: [{ namespaceSelector: { matchLabels: { team: 'a' } } }, { namespaceSelector: {} }], ports: [{ port: 443 }] },
            { from: [{ namespaceSelector: {}, podSelector: { matchLabels: { app: 'scraper' } } }] },
          ],
        }),
      ],
      web,
    );
    expect(state.Ingress.openings.map((o) => [o.scope, o.path, o.ports])).toEqual([
      ['all-namespaces', 'spec.ingress[1].from[1]', 'TCP/443'],
      ['all-namespaces', 'spec.ingress[2].from[0]', 'all ports'],
    ]);
  });

  it('finds ipBlock 0.0.0.0/0 and ::/0 as every address, keeping the except list', () => {
    const state = effectiveIsolation(
      [
        policy('p', {
          podSelector: {},
          policyTypes: ['Ingress', 'Egress'],
          ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }, { ipBlock: { cidr: '10.1.0.0/16' } }] }],
          egress: [{ to: [{ ipBlock: { cidr: '::/0' } }] }],
        }),
      ],
      web,
    );
    expect(state.Ingress.openings).toEqual([expect.objectContaining({ scope: 'internet', cidr: '0.0.0.0/0', except: ['10.0.0.0/8'], path: 'spec.ingress[0].from[0]' })]);
    expect(state.Egress.openings).toEqual([expect.objectContaining({ scope: 'internet', cidr: '::/0', allPorts: true, path: 'spec.egress[0].to[0]' })]);
    expect(isAnyAddress('0.0.0.0/00')).toBe(true);
    expect(isAnyAddress('0.0.0.0/1')).toBe(false);
  });

  it('adds up several policies: the union of their openings', () => {
    const state = effectiveIsolation(
      [
        policy('a', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ namespaceSelector: {} }] }] }),
        policy('b', { podSelector: { matchLabels: { tier: 'front' } }, ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }] }),
      ],
      web,
    );
    expect(state.Ingress.openings.map((o) => `${o.policy}:${o.scope}`)).toEqual(['a:all-namespaces', 'b:internet']);
  });
});

describe('defaultDenyOf', () => {
  it('finds a default deny', () => expect(defaultDenyOf([policy('deny', DENY_ALL)], 'Ingress')).toMatchObject({ state: 'present' }));
  it('finds none when every policy selects only some pods', () =>
    expect(defaultDenyOf([policy('web', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'] })], 'Ingress')).toEqual({ state: 'missing' }));
  it('reads a default deny beside an allow-all rule for every pod as undone, naming that rule', () => {
    const state = defaultDenyOf([policy('deny', DENY_ALL), policy('allow-all', { podSelector: {}, ingress: [{}] })], 'Ingress');
    expect(state).toMatchObject({ state: 'undone', undoneBy: { policy: 'allow-all', path: 'spec.ingress[0]' } });
    expect(defaultDenyOf([policy('deny', DENY_ALL), policy('allow-all', { podSelector: {}, ingress: [{}] })], 'Egress')).toMatchObject({ state: 'present' });
  });
  it('keeps the default deny when the allow-all rule selects only some pods (those pods are open, the default stands)', () => {
    const state = defaultDenyOf([policy('deny', DENY_ALL), policy('web-open', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{}] })], 'Ingress');
    expect(state.state).toBe('present');
  });
});

describe('isolatesNothing', () => {
  it('reports a policy whose podSelector matches no workload', () =>
    expect(isolatesNothing(policy('ghost', { podSelector: { matchLabels: { app: 'gone' } } }), [web])?.reason).toMatch(/matches no workload/));
  it('does not report an empty podSelector in a namespace with no workload yet', () => expect(isolatesNothing(policy('deny', DENY_ALL), [])).toBeUndefined());
  it('reports a policy that allows everything in every direction it declares', () => {
    const found = isolatesNothing(policy('open', { podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [{}], egress: [{}] }), [web]);
    expect(found).toMatchObject({ opening: { policy: 'open', path: 'spec.ingress[0]' } });
  });
  it('does not report a policy that allows all ingress but denies egress', () =>
    expect(isolatesNothing(policy('half', { podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [{}] }), [web])).toBeUndefined());
  it('does not report a policy with restricted rules', () =>
    expect(isolatesNothing(policy('ok', { podSelector: {}, ingress: [{ from: [{ podSelector: {} }] }] }), [web])).toBeUndefined());
});
