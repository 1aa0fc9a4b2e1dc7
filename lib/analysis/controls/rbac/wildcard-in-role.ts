import { defineControl } from '@/lib/analysis/model/control';
import { RBAC_REQUIRES } from './shared';

export const wildcardInRole = defineControl({
  id: 'rbac.wildcard-in-role',
  version: 1,
  title: 'Roles do not use wildcards',
  description: 'Reports Roles and ClusterRoles with `*` in verbs, resources or apiGroups.',
  rationale:
    'A wildcard grants more than its author read: `*` in verbs includes escalate, bind and impersonate, and `*` in resources includes every subresource (pods/exec, serviceaccounts/token) and any resource a future CRD or Kubernetes release adds.',
  remediation:
    'List the exact apiGroups, resources and verbs the role needs. `kubectl auth can-i --list --as=system:serviceaccount:<ns>:<sa>` shows what a subject uses today.',
  severity: 'high',
  kinds: ['Role', 'ClusterRole'],
  mappings: { cis: ['5.1.3'], iso27001: ['A.8.2', 'A.5.15', 'A.5.18'], nsa: ['rbac'] },
  requires: RBAC_REQUIRES,
  target: 'role',
  check: (role) =>
    role.ownRules.flatMap((rule, index) => {
      const fields = (['verbs', 'resources', 'apiGroups'] as const).filter((field) => rule[field].includes('*'));
      if (fields.length === 0) return [];
      return [
        {
          message: `${role.kind} ${role.name} rule ${index} uses "*" in ${fields.join(', ')}${fields.includes('verbs') ? ' (which includes escalate, bind and impersonate)' : fields.includes('resources') ? ' (which includes every subresource, present and future)' : ''}`,
          evidence: { type: 'path' as const, path: `rules[${index}]`, value: { apiGroups: rule.apiGroups, resources: rule.resources, verbs: rule.verbs } },
          item: JSON.stringify([rule.apiGroups, rule.resources, rule.verbs, rule.resourceNames]),
        },
      ];
    }),
});
