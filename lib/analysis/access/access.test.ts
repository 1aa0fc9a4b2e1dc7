import { describe, expect, it } from 'vitest';
import {
  clusterRole,
  clusterRoleBinding,
  group,
  role,
  roleBinding,
  serviceAccount,
  serviceAccountSubject,
  snapshotOf,
  user,
} from '@/lib/testing/k8s';
import type { KubeObject } from '@/lib/analysis/snapshot/schema';
import { compareGrants, effectivePermissions, grantsOfTable, permissionDigest, permissionTable, riskOf, whatCan, whoCan, type Grant } from './index';

const grantsOf = (objects: KubeObject[], mode: 'in-cluster' | 'offline' = 'in-cluster') => effectivePermissions(snapshotOf(objects, { mode }));
const names = (matches: { grant: Grant }[]) => [...new Set(matches.map((m) => `${m.grant.subject.kind}:${m.grant.subject.namespace ? `${m.grant.subject.namespace}/` : ''}${m.grant.subject.name}`))];

describe('effectivePermissions', () => {
  it('gives one grant per subject and rule, with the chain, stable-sorted and serializable', () => {
    const objects = [
      role({ name: 'reader', namespace: 'payments' }, [{ apiGroups: [''], resources: ['secrets', 'configmaps'], verbs: ['list', 'get'] }]),
      roleBinding({ name: 'rb', namespace: 'payments' }, { kind: 'Role', name: 'reader' }, [user('bob'), user('alice')]),
    ];
    const grants = grantsOf(objects);
    expect(grants.map((g) => g.subject.name)).toEqual(['alice', 'bob']);
    expect(grants[0]).toEqual({
      subject: { kind: 'User', name: 'alice' },
      verbs: ['get', 'list'],
      apiGroups: [''],
      resources: ['configmaps', 'secrets'],
      scope: { namespace: 'payments' },
      chain: { binding: { kind: 'RoleBinding', name: 'rb', namespace: 'payments' }, role: { kind: 'Role', name: 'reader', namespace: 'payments' }, ruleIndex: 0 },
    });
    expect(JSON.parse(JSON.stringify(grants))).toEqual(grants);
    // Object order in the snapshot does not change the answer or its digest.
    expect(permissionDigest(permissionTable(snapshotOf([...objects].reverse())))).toBe(permissionDigest(permissionTable(snapshotOf(objects))));
  });

  it('resolves aggregated ClusterRoles from their selectors even when the manifest has no rules (naive reading: nothing)', () => {
    const objects = [
      clusterRole({ name: 'monitoring' }, [], { clusterRoleSelectors: [{ matchLabels: { 'rbac.example.com/aggregate-to-monitoring': 'true' } }] }),
      clusterRole({ name: 'secret-peek', labels: { 'rbac.example.com/aggregate-to-monitoring': 'true' } }, [
        { apiGroups: [''], resources: ['pods'], verbs: ['list'] },
        { apiGroups: [''], resources: ['secrets'], verbs: ['get'] },
      ]),
      clusterRoleBinding({ name: 'prom' }, { name: 'monitoring' }, [serviceAccountSubject('monitoring', 'prometheus')]),
      serviceAccount({ name: 'prometheus', namespace: 'monitoring' }),
    ];
    const matches = whoCan(grantsOf(objects), { verb: 'get', resource: 'secrets', namespace: 'payments' });
    expect(names(matches)).toEqual(['ServiceAccount:monitoring/prometheus']);
    expect(matches[0]?.grant.chain).toEqual({ binding: { kind: 'ClusterRoleBinding', name: 'prom' }, role: { kind: 'ClusterRole', name: 'monitoring' }, ruleIndex: 1, aggregatedFrom: ['secret-peek'] });
    expect(matches[0]?.risks).toEqual(['secrets-read']);
  });

  it('scopes a RoleBinding to a ClusterRole to the binding namespace (naive reading: cluster-wide)', () => {
    const grants = grantsOf([
      clusterRole({ name: 'secret-reader' }, [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] }]),
      roleBinding({ name: 'rb', namespace: 'payments' }, { kind: 'ClusterRole', name: 'secret-reader' }, [user('carol')]),
    ]);
    expect(grants[0]?.scope).toEqual({ namespace: 'payments' });
    expect(names(whoCan(grants, { verb: 'list', resource: 'secrets', namespace: 'payments' }))).toEqual(['User:carol']);
    expect(whoCan(grants, { verb: 'list', resource: 'secrets', namespace: 'billing' })).toEqual([]);
  });

  it('keeps bindings to ServiceAccounts that do not exist yet, flagged (whoever creates one gets the right)', () => {
    const grants = grantsOf([
      role({ name: 'r', namespace: 'payments' }, [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }]),
      roleBinding({ name: 'rb', namespace: 'payments' }, { kind: 'Role', name: 'r' }, [serviceAccountSubject('payments', 'ghost'), serviceAccountSubject('payments', 'real')]),
      serviceAccount({ name: 'real', namespace: 'payments' }),
    ]);
    const matches = whoCan(grants, { verb: 'get', resource: 'secrets', namespace: 'payments' });
    expect(matches.map((m) => [m.grant.subject.name, m.grant.subjectMissing ?? false])).toEqual([['ghost', true], ['real', false]]);
  });

  it('follows aggregation transitively (admin > edit > a CRD role) and stores each role once in the table', () => {
    const objects = [
      clusterRole({ name: 'admin' }, [], { clusterRoleSelectors: [{ matchLabels: { 'aggregate-to-admin': 'true' } }] }),
      clusterRole({ name: 'edit', labels: { 'aggregate-to-admin': 'true' } }, [{ apiGroups: [''], resources: ['configmaps'], verbs: ['update'] }], {
        clusterRoleSelectors: [{ matchLabels: { 'aggregate-to-edit': 'true' } }],
      }),
      clusterRole({ name: 'widgets-edit', labels: { 'aggregate-to-edit': 'true' } }, [{ apiGroups: ['example.com'], resources: ['widgets'], verbs: ['delete'] }]),
      roleBinding({ name: 'a', namespace: 'payments' }, { kind: 'ClusterRole', name: 'admin' }, [user('ann'), user('al')]),
      roleBinding({ name: 'b', namespace: 'billing' }, { kind: 'ClusterRole', name: 'admin' }, [user('bo')]),
    ];
    const grants = grantsOf(objects);
    const match = whoCan(grants, { verb: 'delete', resource: 'widgets', apiGroup: 'example.com', namespace: 'payments' });
    expect(names(match)).toEqual(['User:al', 'User:ann']);
    expect(match[0]?.grant.chain.aggregatedFrom).toEqual(['edit', 'widgets-edit']);
    const table = permissionTable(snapshotOf(objects));
    expect(table.roles.map((r) => r.name)).toEqual(['admin', 'edit', 'widgets-edit']);
    expect(table.bindings).toHaveLength(3);
    expect(grantsOfTable(JSON.parse(JSON.stringify(table)))).toEqual(grants);
    expect(grants).toHaveLength(6);
  });

  it('grants nothing through a binding whose role is missing', () => {
    expect(grantsOf([roleBinding({ name: 'rb' }, { kind: 'Role', name: 'absent' }, [user('dave')])])).toEqual([]);
  });
});

describe('whoCan', () => {
  const wildcard = [
    clusterRole({ name: 'ops' }, [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]),
    clusterRoleBinding({ name: 'ops' }, { name: 'ops' }, [group('ops-team')]),
    clusterRole({ name: 'all-verbs-on-pods' }, [{ apiGroups: [''], resources: ['pods'], verbs: ['*'] }]),
    roleBinding({ name: 'pods', namespace: 'payments' }, { kind: 'ClusterRole', name: 'all-verbs-on-pods' }, [user('erin')]),
  ];

  it('answers unknown verbs and resources through wildcards rather than refusing them', () => {
    const grants = grantsOf(wildcard);
    expect(names(whoCan(grants, { verb: 'frobnicate', resource: 'widgets', apiGroup: 'example.com', namespace: 'payments' }))).toEqual(['Group:ops-team']);
    expect(names(whoCan(grants, { verb: 'frobnicate', resource: 'pods', namespace: 'payments' }))).toEqual(['Group:ops-team', 'User:erin']);
  });

  it('tells pods/exec from pods: `*` on pods does not cover the exec subresource, `*` resources does', () => {
    const grants = grantsOf(wildcard);
    expect(names(whoCan(grants, { verb: 'create', resource: 'pods', subresource: 'exec', namespace: 'payments' }))).toEqual(['Group:ops-team']);
    expect(names(whoCan(grants, { verb: 'create', resource: 'pods/exec', namespace: 'payments' }))).toEqual(['Group:ops-team']);
    const exec = grantsOf([
      role({ name: 'exec', namespace: 'payments' }, [{ apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] }]),
      roleBinding({ name: 'exec', namespace: 'payments' }, { kind: 'Role', name: 'exec' }, [user('frank')]),
    ]);
    expect(whoCan(exec, { verb: 'create', resource: 'pods', namespace: 'payments' })).toEqual([]);
    expect(whoCan(exec, { verb: 'create', resource: 'pods', subresource: 'exec', namespace: 'payments' })[0]?.risks).toEqual(['pods-exec']);
  });

  it('restricts by resourceNames: only the named object, never create (naive reading: all Secrets)', () => {
    const grants = grantsOf([
      role({ name: 'one-secret', namespace: 'payments' }, [{ apiGroups: [''], resources: ['secrets'], resourceNames: ['db-password'], verbs: ['get', 'create'] }]),
      roleBinding({ name: 'rb', namespace: 'payments' }, { kind: 'Role', name: 'one-secret' }, [user('gina')]),
    ]);
    expect(whoCan(grants, { verb: 'get', resource: 'secrets', namespace: 'payments', name: 'api-key' })).toEqual([]);
    expect(names(whoCan(grants, { verb: 'get', resource: 'secrets', namespace: 'payments', name: 'db-password' }))).toEqual(['User:gina']);
    expect(whoCan(grants, { verb: 'get', resource: 'secrets', namespace: 'payments' })[0]?.onlyNames).toEqual(['db-password']);
    expect(whoCan(grants, { verb: 'create', resource: 'secrets', namespace: 'payments' })).toEqual([]);
  });

  it('never grants cluster-scoped resources through a RoleBinding, even with a ClusterRole listing them', () => {
    const grants = grantsOf([
      clusterRole({ name: 'node-proxy' }, [{ apiGroups: [''], resources: ['nodes/proxy'], verbs: ['get'] }]),
      roleBinding({ name: 'rb', namespace: 'payments' }, { kind: 'ClusterRole', name: 'node-proxy' }, [user('hank')]),
      clusterRoleBinding({ name: 'crb' }, { name: 'node-proxy' }, [user('ivy')]),
    ]);
    expect(names(whoCan(grants, { verb: 'get', resource: 'nodes', subresource: 'proxy' }))).toEqual(['User:ivy']);
    expect(riskOf(grants.find((g) => g.subject.name === 'hank') as Grant)).toEqual([]);
    expect(riskOf(grants.find((g) => g.subject.name === 'ivy') as Grant)).toEqual(['nodes-proxy']);
  });

  it('answers with the group a binding names: system:authenticated, system:serviceaccounts:<ns>', () => {
    const grants = grantsOf([
      clusterRole({ name: 'secret-reader' }, [{ apiGroups: [''], resources: ['secrets'], verbs: ['list'] }]),
      roleBinding({ name: 'all-sas', namespace: 'payments' }, { kind: 'ClusterRole', name: 'secret-reader' }, [group('system:serviceaccounts:payments')]),
      clusterRoleBinding({ name: 'everyone' }, { name: 'secret-reader' }, [group('system:authenticated')]),
    ]);
    expect(names(whoCan(grants, { verb: 'list', resource: 'secrets', namespace: 'payments' }))).toEqual(['Group:system:authenticated', 'Group:system:serviceaccounts:payments']);
  });
});

describe('whatCan', () => {
  const objects = [
    clusterRole({ name: 'secret-reader' }, [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }]),
    clusterRole({ name: 'viewer' }, [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }]),
    clusterRole({ name: 'deployer' }, [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['create'] }]),
    roleBinding({ name: 'sas', namespace: 'payments' }, { kind: 'ClusterRole', name: 'secret-reader' }, [group('system:serviceaccounts:payments')]),
    roleBinding({ name: 'other-ns', namespace: 'billing' }, { kind: 'ClusterRole', name: 'secret-reader' }, [group('system:serviceaccounts:billing')]),
    roleBinding({ name: 'view', namespace: 'payments' }, { kind: 'ClusterRole', name: 'viewer' }, [serviceAccountSubject('payments', 'api')]),
    roleBinding({ name: 'deploy', namespace: 'payments' }, { kind: 'ClusterRole', name: 'deployer' }, [user('system:serviceaccount:payments:api')]),
    clusterRoleBinding({ name: 'all' }, { name: 'viewer' }, [group('system:authenticated')]),
  ];

  it('includes what a ServiceAccount holds through its groups and its user name, by namespace, dangerous first', () => {
    const groups = whatCan(grantsOf(objects), { kind: 'ServiceAccount', namespace: 'payments', name: 'api' });
    expect(groups.map((g) => g.namespace)).toEqual([null, 'payments']);
    const payments = groups[1]?.entries ?? [];
    expect(payments.map((e) => [e.grant.chain.binding.name, e.risks])).toEqual([
      ['sas', ['secrets-read']],
      ['deploy', ['pod-create']],
      ['view', []],
    ]);
    expect(payments[0]?.through).toEqual({ kind: 'Group', name: 'system:serviceaccounts:payments' });
    expect(payments[2]?.through).toBeUndefined();
    expect(groups[1]?.dangerous).toBe(2);
    expect(groups[0]?.entries[0]?.through).toEqual({ kind: 'Group', name: 'system:authenticated' });
  });

  it('gives a user only its own bindings and system:authenticated', () => {
    const groups = whatCan(grantsOf(objects), { kind: 'User', name: 'alice' });
    expect(groups.map((g) => [g.namespace, g.entries.map((e) => e.grant.chain.binding.name)])).toEqual([[null, ['all']]]);
  });
});

describe('compareGrants', () => {
  it('reports rights gained and lost per subject, not renamed bindings or split rules', () => {
    const before = grantsOf([
      role({ name: 'r', namespace: 'payments' }, [{ apiGroups: [''], resources: ['configmaps', 'secrets'], verbs: ['get'] }]),
      roleBinding({ name: 'rb', namespace: 'payments' }, { kind: 'Role', name: 'r' }, [user('alice'), user('bob')]),
    ]);
    const after = grantsOf([
      role({ name: 'r2', namespace: 'payments' }, [
        { apiGroups: [''], resources: ['configmaps'], verbs: ['get'] },
        { apiGroups: [''], resources: ['secrets'], verbs: ['get'] },
        { apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] },
      ]),
      roleBinding({ name: 'renamed', namespace: 'payments' }, { kind: 'Role', name: 'r2' }, [user('alice')]),
    ]);
    const changes = compareGrants(before, after);
    expect(changes.map((c) => [c.subject.name, c.gained.map((r) => `${r.right.verb} ${r.right.resource}`), c.lost.map((r) => `${r.right.verb} ${r.right.resource}`)])).toEqual([
      ['alice', ['create pods/exec'], []],
      ['bob', [], ['get secrets', 'get configmaps']],
    ]);
    expect(changes[0]?.gained[0]?.risks).toEqual(['pods-exec']);
    expect(compareGrants(before, before)).toEqual([]);
  });
});

describe('riskOf', () => {
  it('uses the RBAC controls vocabulary: wildcard, escalate/bind, impersonate, token create, webhooks, PersistentVolumes', () => {
    const grants = grantsOf([
      clusterRole({ name: 'risky' }, [
        { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
        { apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['bind'] },
        { apiGroups: [''], resources: ['users'], verbs: ['impersonate'] },
        { apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'] },
        { apiGroups: ['admissionregistration.k8s.io'], resources: ['mutatingwebhookconfigurations'], verbs: ['patch'] },
        { apiGroups: [''], resources: ['persistentvolumes'], verbs: ['create'] },
        { apiGroups: ['certificates.k8s.io'], resources: ['certificatesigningrequests/approval'], verbs: ['update'] },
        { apiGroups: [''], resources: ['pods/ephemeralcontainers'], verbs: ['patch'] },
      ]),
      clusterRoleBinding({ name: 'risky' }, { name: 'risky' }, [user('root')]),
    ]);
    const byIndex = [...grants].sort((a, b) => a.chain.ruleIndex - b.chain.ruleIndex).map(riskOf);
    expect(byIndex[0]).toContain('wildcard');
    expect(byIndex[0]).toContain('secrets-read');
    expect(byIndex.slice(1)).toEqual([['escalate-bind'], ['impersonate'], ['token-create'], ['webhook-configuration'], ['persistentvolume-create'], ['csr-approval'], ['pods-ephemeral-containers']]);
  });
});
