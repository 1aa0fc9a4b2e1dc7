import { defineControl, rbacEvidence, subjectItem } from '@/lib/analysis/model/control';
import { describeScope, describeSubject } from '@/lib/analysis/model/rbac/model';
import { isAdminEquivalent } from '@/lib/analysis/model/rbac/rules';
import { BINDING_KINDS, RBAC_REQUIRES } from './shared';

export const clusterAdminBinding = defineControl({
  id: 'rbac.cluster-admin-binding',
  version: 1,
  title: 'cluster-admin is granted only to platform defaults',
  description:
    'Reports bindings that give a subject the cluster-admin ClusterRole, or any role equivalent to it (every verb on every resource in every API group).',
  rationale:
    'cluster-admin can do anything, including granting itself more and reading every Secret. Outside the bootstrap bindings it should be held by nobody day to day; break-glass access belongs in an audited process.',
  remediation: [
    'Bind a narrower role (admin in one namespace, or a custom role with the verbs needed), then delete the binding:',
    '',
    '```yaml',
    'apiVersion: rbac.authorization.k8s.io/v1',
    'kind: RoleBinding',
    'metadata: { name: team-a-admin, namespace: team-a }',
    'roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: admin }',
    'subjects: [{ apiGroup: rbac.authorization.k8s.io, kind: Group, name: team-a }]',
    '```',
  ].join('\n'),
  severity: 'critical',
  kinds: BINDING_KINDS,
  mappings: { cis: ['5.1.1'], iso27001: ['A.8.2', 'A.5.15', 'A.5.18', 'A.5.3'], nsa: ['rbac'] },
  requires: RBAC_REQUIRES,
  target: 'binding',
  check: (binding, ctx) => {
    const byName = binding.roleRef.kind === 'ClusterRole' && binding.roleRef.name === 'cluster-admin';
    const rule = ctx.rbac.findRule(binding, isAdminEquivalent);
    if (!byName && !rule) return [];
    const what = byName ? 'cluster-admin' : `${binding.roleRef.kind} ${binding.roleRef.name}, which is equivalent to cluster-admin`;
    return binding.subjects.map((subject) => ({
      message: `${describeSubject(subject)} holds ${what} ${describeScope(binding)}`,
      evidence: rbacEvidence(binding, subject, rule),
      item: subjectItem(subject),
      // Admin of one namespace is serious, but not the whole cluster.
      ...(binding.namespace ? { severity: 'high' as const } : {}),
    }));
  },
});
