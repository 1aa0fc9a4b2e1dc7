import { describe, expect, it } from 'vitest';
import { evaluate, type EvaluateOptions } from '@/lib/analysis/engine';
import { bootstrapClusterRoles } from '@/lib/analysis/model/rbac/bootstrap';
import { RbacModel } from '@/lib/analysis/model/rbac/model';
import type { KubeObject, Snapshot } from '@/lib/analysis/snapshot/schema';
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
  type Rule,
} from '@/lib/testing/k8s';

const NOW = new Date('2025-01-01T00:00:00Z');

function findingsOf(controlId: string, objects: KubeObject[], options: Partial<EvaluateOptions> = {}, collection: Snapshot['collection'] = {}) {
  return evaluate(snapshotOf(objects, { collection }), { now: NOW, controlIds: [controlId], ...options }).findings;
}

/** A RoleBinding in team-a giving alice a Role with these rules. */
function granted(rules: Rule[]): KubeObject[] {
  return [role({ name: 'r' }, rules), roleBinding({ name: 'rb' }, { kind: 'Role', name: 'r' }, [user('alice')])];
}

/** A ClusterRoleBinding giving alice a ClusterRole with these rules. */
function grantedClusterWide(rules: Rule[]): KubeObject[] {
  return [clusterRole({ name: 'cr' }, rules), clusterRoleBinding({ name: 'crb' }, { name: 'cr' }, [user('alice')])];
}

const CASES: { control: string; failing: KubeObject[]; passing: KubeObject[]; message: RegExp }[] = [
  {
    control: 'rbac.cluster-admin-binding',
    failing: grantedClusterWide([{ apiGroups: ['*'], resources: ['*'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] }]),
    passing: grantedClusterWide([{ apiGroups: [''], resources: ['*'], verbs: ['*'] }]),
    message: /User "alice" holds ClusterRole cr, which is equivalent to cluster-admin cluster-wide/,
  },
  { control: 'rbac.secrets-read', failing: granted([{ apiGroups: [''], resources: ['secrets'], verbs: ['list'] }]), passing: granted([{ apiGroups: [''], resources: ['configmaps'], verbs: ['list'] }]), message: /User "alice" can list Secrets in namespace team-a/ },
  {
    control: 'rbac.escalation-verbs',
    failing: granted([{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'], verbs: ['escalate'] }]),
    passing: granted([{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'], verbs: ['get'] }]),
    message: /can escalate roles/,
  },
  { control: 'rbac.pods-exec', failing: granted([{ apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] }]), passing: granted([{ apiGroups: [''], resources: ['pods/log'], verbs: ['get'] }]), message: /exec into or attach/ },
  {
    control: 'rbac.pods-ephemeral-containers',
    failing: granted([{ apiGroups: [''], resources: ['pods/ephemeralcontainers'], verbs: ['patch'] }]),
    passing: granted([{ apiGroups: [''], resources: ['pods'], verbs: ['patch'] }]),
    message: /past pod-creation admission checks/,
  },
  { control: 'rbac.nodes-proxy', failing: grantedClusterWide([{ apiGroups: [''], resources: ['nodes/proxy'], verbs: ['get'] }]), passing: grantedClusterWide([{ apiGroups: [''], resources: ['nodes/metrics'], verbs: ['get'] }]), message: /nodes\/proxy/ },
  {
    control: 'rbac.csr-approval',
    failing: grantedClusterWide([{ apiGroups: ['certificates.k8s.io'], resources: ['certificatesigningrequests/approval'], verbs: ['update'] }]),
    passing: grantedClusterWide([{ apiGroups: ['certificates.k8s.io'], resources: ['certificatesigningrequests'], verbs: ['create'] }]),
    message: /issue client certificates/,
  },
  {
    control: 'rbac.admission-webhooks',
    failing: grantedClusterWide([{ apiGroups: ['admissionregistration.k8s.io'], resources: ['mutatingwebhookconfigurations'], verbs: ['patch'] }]),
    passing: grantedClusterWide([{ apiGroups: ['admissionregistration.k8s.io'], resources: ['mutatingwebhookconfigurations'], verbs: ['list'] }]),
    message: /admission webhook configurations/,
  },
  { control: 'rbac.serviceaccount-token-create', failing: granted([{ apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'] }]), passing: granted([{ apiGroups: [''], resources: ['serviceaccounts'], verbs: ['get'] }]), message: /create ServiceAccount tokens/ },
  { control: 'rbac.persistentvolume-create', failing: grantedClusterWide([{ apiGroups: [''], resources: ['persistentvolumes'], verbs: ['create'] }]), passing: grantedClusterWide([{ apiGroups: [''], resources: ['persistentvolumeclaims'], verbs: ['create'] }]), message: /create PersistentVolumes/ },
  { control: 'rbac.wildcard-in-role', failing: granted([{ apiGroups: [''], resources: ['*'], verbs: ['get'] }]), passing: granted([{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }]), message: /Role r rule 0 uses "\*" in resources/ },
];

describe('RBAC controls', () => {
  for (const { control, failing, passing, message } of CASES) {
    describe(control, () => {
      it('reports the grant', () => expect(findingsOf(control, failing).map((f) => f.message)).toEqual([expect.stringMatching(message)]));
      it('passes a harmless grant', () => expect(findingsOf(control, passing)).toEqual([]));
    });
  }

  it('tells that pod creation is read access to every Secret of the namespace, for any pod-creating workload', () => {
    const findings = findingsOf('rbac.pod-create', granted([{ apiGroups: ['batch'], resources: ['cronjobs'], verbs: ['create'] }]));
    expect(findings.map((f) => f.message)).toEqual([
      'User "alice" can create cronjobs in namespace team-a, which gives it read access to every Secret in namespace team-a',
    ]);
    expect(findings[0]?.resource).toMatchObject({ kind: 'RoleBinding', namespace: 'team-a', name: 'rb' });
    expect(findingsOf('rbac.pod-create', granted([{ apiGroups: [''], resources: ['deployments'], verbs: ['create'] }]))).toEqual([]);
  });

  it('puts the subject -> binding -> role -> rule chain in the evidence', () => {
    const [finding] = findingsOf('rbac.secrets-read', granted([{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] }]));
    expect(finding?.evidence).toEqual({
      type: 'rbac',
      subject: { kind: 'User', name: 'alice', namespace: null },
      binding: { kind: 'RoleBinding', namespace: 'team-a', name: 'rb' },
      role: { kind: 'Role', name: 'r' },
      rule: { apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] },
    });
  });

  it('scopes a RoleBinding to a ClusterRole to the binding namespace', () => {
    const objects = [clusterRole({ name: 'reader' }, [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }]), roleBinding({ name: 'rb', namespace: 'team-b' }, { kind: 'ClusterRole', name: 'reader' }, [group('devs')])];
    const [finding] = findingsOf('rbac.secrets-read', objects);
    expect(finding?.message).toBe('Group "devs" can get Secrets in namespace team-b');
    expect(finding?.severity).toBe('medium');
  });

  it('treats a wildcard as covering verbs and subresources that are not spelled out', () => {
    for (const control of ['rbac.escalation-verbs', 'rbac.pods-exec', 'rbac.serviceaccount-token-create', 'rbac.pods-ephemeral-containers']) {
      expect(findingsOf(control, granted([{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }])), control).not.toEqual([]);
    }
  });

  it('does not treat pods/* as a wildcard, as the API server does not', () => {
    expect(findingsOf('rbac.pods-exec', granted([{ apiGroups: [''], resources: ['pods/*'], verbs: ['create'] }]))).toEqual([]);
    expect(findingsOf('rbac.pods-exec', granted([{ apiGroups: [''], resources: ['*/exec'], verbs: ['create'] }]))).toHaveLength(1);
  });

  it('does not count a RoleBinding as granting cluster-scoped resources', () => {
    expect(findingsOf('rbac.persistentvolume-create', granted([{ apiGroups: [''], resources: ['persistentvolumes'], verbs: ['create'] }]))).toEqual([]);
  });

  it('does not count create restricted by resourceNames, which Kubernetes cannot enforce by name', () => {
    expect(findingsOf('rbac.pod-create', granted([{ apiGroups: [''], resources: ['pods'], verbs: ['create'], resourceNames: ['x'] }]))).toEqual([]);
    expect(findingsOf('rbac.secrets-read', granted([{ apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: ['tls'] }])).map((f) => f.message)).toEqual([
      'User "alice" can get the Secrets tls in namespace team-a',
    ]);
  });

  it('reports cluster-admin through a RoleBinding as high, not critical', () => {
    const [finding] = findingsOf('rbac.cluster-admin-binding', [clusterRole({ name: 'cluster-admin' }, [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]), roleBinding({ name: 'rb' }, { kind: 'ClusterRole', name: 'cluster-admin' }, [user('bob')])]);
    expect(finding).toMatchObject({ severity: 'high', message: 'User "bob" holds cluster-admin in namespace team-a' });
  });

  it('reports bindings to system:masters, anonymous users, and write access for all authenticated users', () => {
    const objects = [
      clusterRole({ name: 'reader' }, [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }]),
      clusterRole({ name: 'writer' }, [{ apiGroups: [''], resources: ['configmaps'], verbs: ['create'] }]),
      clusterRoleBinding({ name: 'masters' }, { name: 'reader' }, [group('system:masters')]),
      clusterRoleBinding({ name: 'anon' }, { name: 'reader' }, [user('system:anonymous')]),
      clusterRoleBinding({ name: 'everyone-reads' }, { name: 'reader' }, [group('system:authenticated')]),
      clusterRoleBinding({ name: 'everyone-writes' }, { name: 'writer' }, [group('system:authenticated')]),
    ];
    expect(findingsOf('rbac.system-group-binding', objects).map((f) => f.resource.name)).toEqual(['masters', 'anon', 'everyone-writes']);
  });
});

describe('ClusterRole aggregation', () => {
  const labels = { 'rbac.example.com/aggregate-to-monitoring': 'true' };
  const selector = { clusterRoleSelectors: [{ matchLabels: labels }] };
  const piece = clusterRole({ name: 'secret-piece', labels }, [{ apiGroups: [''], resources: ['secrets'], verbs: ['list'] }]);
  const binding = clusterRoleBinding({ name: 'monitoring' }, { name: 'monitoring' }, [serviceAccountSubject('mon', 'agent')]);

  it('gives the same answer for a manifest (empty rules) and a live role (rules filled in by the controller)', () => {
    const manifest = clusterRole({ name: 'monitoring' }, [], selector);
    const live = clusterRole({ name: 'monitoring' }, [{ apiGroups: [''], resources: ['secrets'], verbs: ['list'] }], selector);
    const fromManifest = findingsOf('rbac.secrets-read', [manifest, piece, binding]);
    const fromLive = findingsOf('rbac.secrets-read', [live, piece, binding]);
    expect(fromManifest.map((f) => [f.message.replace(/ \(through.*\)$/, ''), f.fingerprint])).toEqual(fromLive.map((f) => [f.message, f.fingerprint]));
    expect(fromManifest[0]?.message).toBe('ServiceAccount mon/agent can list Secrets cluster-wide (through aggregated ClusterRole secret-piece)');
    expect(fromManifest[0]?.evidence).toMatchObject({ type: 'rbac', viaAggregation: ['secret-piece'] });
  });

  it('resolves matchExpressions and nested aggregation', () => {
    const top = clusterRole({ name: 'monitoring' }, [], { clusterRoleSelectors: [{ matchExpressions: [{ key: 'tier', operator: 'In', values: ['middle'] }] }] });
    const middle = clusterRole({ name: 'middle', labels: { tier: 'middle' } }, [], selector);
    const findings = findingsOf('rbac.secrets-read', [top, middle, piece, binding]);
    expect(findings[0]?.evidence).toMatchObject({ viaAggregation: ['middle', 'secret-piece'] });
  });

  it('survives an aggregation cycle', () => {
    const a = clusterRole({ name: 'monitoring', labels: { loop: 'a' } }, [], { clusterRoleSelectors: [{ matchLabels: { loop: 'b' } }] });
    const b = clusterRole({ name: 'b', labels: { loop: 'b' } }, [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }], { clusterRoleSelectors: [{ matchLabels: { loop: 'a' } }] });
    expect(findingsOf('rbac.secrets-read', [a, b, binding])).toHaveLength(1);
  });
});

describe('dangling bindings', () => {
  it('reports a RoleBinding whose role does not exist', () => {
    const findings = findingsOf('rbac.dangling-role-ref', [roleBinding({ name: 'rb' }, { kind: 'Role', name: 'gone' }, [user('alice')])]);
    expect(findings.map((f) => f.message)).toEqual(['RoleBinding rb references Role team-a/gone, which does not exist: whoever creates it decides what User "alice" can do']);
    expect(findings[0]?.evidence).toEqual({ type: 'absence', expected: 'Role team-a/gone', searched: { kind: 'Role', namespace: 'team-a', name: 'gone' } });
  });

  it('reports a RoleBinding whose ServiceAccount does not exist yet', () => {
    const objects = [role({ name: 'r' }, []), serviceAccount({ name: 'real' }), roleBinding({ name: 'rb' }, { kind: 'Role', name: 'r' }, [serviceAccountSubject('team-a', 'real'), serviceAccountSubject('team-a', 'future'), serviceAccountSubject('team-a', 'default')])];
    expect(findingsOf('rbac.dangling-subject', objects).map((f) => f.message)).toEqual([
      'RoleBinding rb grants Role r in namespace team-a to ServiceAccount team-a/future, which does not exist: whoever creates it inherits the role',
    ]);
  });

  it('does not judge existence of kinds that were not collected', () => {
    const objects = [roleBinding({ name: 'rb' }, { kind: 'Role', name: 'gone' }, [serviceAccountSubject('team-a', 'ghost')])];
    const rolesForbidden = evaluate(snapshotOf(objects, { collection: { roles: { status: 'forbidden', count: 0 } } }), { now: NOW, controlIds: ['rbac.dangling-role-ref'] });
    expect(rolesForbidden.controls[0]).toMatchObject({ status: 'not_applicable', reason: 'roles: forbidden' });
    const saForbidden = evaluate(snapshotOf(objects, { collection: { serviceaccounts: { status: 'forbidden', count: 0 } } }), { now: NOW, controlIds: ['rbac.dangling-subject'] });
    expect(saForbidden.controls[0]).toMatchObject({ status: 'not_applicable', reason: 'serviceaccounts: forbidden' });
  });

  it('knows the default ClusterRoles of a cluster when scanning manifests', () => {
    const objects = [roleBinding({ name: 'editors' }, { kind: 'ClusterRole', name: 'edit' }, [group('devs')])];
    expect(findingsOf('rbac.dangling-role-ref', objects)).toEqual([]);
    const offline = evaluate(snapshotOf(objects, { mode: 'offline' }), { now: NOW, controlIds: ['rbac.secrets-read', 'rbac.pod-create'] });
    expect(offline.findings.map((f) => f.controlId).sort()).toEqual(['rbac.pod-create', 'rbac.secrets-read']);
  });
});

describe('default ClusterRoles in manifest scans', () => {
  it('extends edit (and so admin) with a manifest ClusterRole labelled aggregate-to-edit, as the cluster would', () => {
    const extension = clusterRole({ name: 'crd-editor', labels: { 'rbac.authorization.k8s.io/aggregate-to-edit': 'true' } }, [{ apiGroups: ['acme.io'], resources: ['widgets'], verbs: ['delete'] }]);
    const model = new RbacModel({ roles: [], clusterroles: [extension], rolebindings: [], clusterrolebindings: [], assumedClusterRoles: bootstrapClusterRoles() }, () => {});
    const admin = model.findRole('ClusterRole', null, 'admin');
    const inherited = admin ? model.effectiveRules(admin).filter((r) => r.rule.apiGroups.includes('acme.io')) : [];
    expect(inherited.map((r) => r.viaAggregation)).toEqual([['edit', 'crd-editor']]);
  });
});
