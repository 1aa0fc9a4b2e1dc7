import { defineControl } from '@/lib/analysis/model/control';
import { RISK_QUERIES } from '@/lib/analysis/model/rbac/risks';
import { grantViolations, via } from '@/lib/analysis/model/rbac/grant-violations';
import { BINDING_KINDS, RBAC_REQUIRES } from './shared';

export const escalationVerbs = defineControl({
  id: 'rbac.escalation-verbs',
  version: 1,
  title: 'No one outside the platform can escalate, bind or impersonate',
  description:
    'Reports subjects that hold `escalate` or `bind` on Roles/ClusterRoles, or `impersonate` on users, groups, ServiceAccounts or UIDs.',
  rationale:
    'These verbs lift the rule that you cannot grant what you do not hold: escalate edits a role beyond your rights, bind attaches any role to anyone, impersonate acts as any user, including cluster-admin.',
  remediation: 'Remove the verbs from the role. Tools that really need them (an operator managing RBAC) should hold them on named roles only, via `resourceNames`.',
  severity: 'critical',
  kinds: BINDING_KINDS,
  mappings: { cis: ['5.1.8'], iso27001: ['A.8.2', 'A.5.3'], nsa: ['rbac'] },
  requires: RBAC_REQUIRES,
  target: 'binding',
  check: (binding, ctx) => [
    ...grantViolations(
      binding,
      ctx,
      RISK_QUERIES.escalateBind,
      ({ subject, scope, verbs, grant }) => `${subject} can ${verbs} roles ${scope}, and so grant itself any permission${via(grant)}`,
    ),
    ...grantViolations(
      binding,
      ctx,
      RISK_QUERIES.impersonate,
      ({ subject, scope, grant }) => `${subject} can impersonate other identities ${scope}${via(grant)}`,
    ).map((v) => ({ ...v, item: `${v.item}:impersonate` })),
  ],
});
