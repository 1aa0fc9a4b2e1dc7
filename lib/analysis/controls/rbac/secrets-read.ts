import { defineControl } from '@/lib/analysis/model/control';
import { RISK_QUERIES } from '@/lib/analysis/model/rbac/risks';
import { grantViolations, lowerInNamespace, via } from '@/lib/analysis/model/rbac/grant-violations';
import { BINDING_KINDS, RBAC_REQUIRES } from './shared';

export const secretsRead = defineControl({
  id: 'rbac.secrets-read',
  version: 1,
  title: 'Access to read Secrets is minimal',
  description: 'Reports subjects that can get, list or watch Secrets.',
  rationale:
    'Secrets hold credentials: database passwords, API keys, ServiceAccount tokens. `list` and `watch` return every value in scope, not just names.',
  remediation:
    'Remove get/list/watch on secrets from the role, or restrict get to the named Secrets the workload needs with `resourceNames`. Mount Secrets into the pods that need them instead of reading them through the API.',
  severity: 'high',
  kinds: BINDING_KINDS,
  mappings: { cis: ['5.1.2'], iso27001: ['A.8.3', 'A.5.17', 'A.8.2', 'A.5.15'], nsa: ['rbac', 'secrets'] },
  requires: RBAC_REQUIRES,
  target: 'binding',
  check: (binding, ctx) =>
    grantViolations(
      binding,
      ctx,
      RISK_QUERIES.secretsRead,
      ({ subject, scope, verbs, grant }) => {
        const names = grant.effective.rule.resourceNames;
        const which = names.length > 0 ? `the Secrets ${names.join(', ')}` : 'Secrets';
        return `${subject} can ${verbs} ${which} ${scope}${via(grant)}`;
      },
      lowerInNamespace('medium'),
    ),
});
