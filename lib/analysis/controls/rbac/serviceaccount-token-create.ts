import { defineControl } from '@/lib/analysis/model/control';
import { RISK_QUERIES } from '@/lib/analysis/model/rbac/risks';
import { grantViolations, lowerInNamespace, via } from '@/lib/analysis/model/rbac/grant-violations';
import { BINDING_KINDS, RBAC_REQUIRES } from './shared';

export const serviceAccountTokenCreate = defineControl({
  id: 'rbac.serviceaccount-token-create',
  version: 1,
  title: 'Access to create ServiceAccount tokens is minimal',
  description: 'Reports subjects that can create serviceaccounts/token.',
  rationale: 'Creating a token for a ServiceAccount lets you act as it, with every permission it holds, for as long as the token lives.',
  remediation: 'Remove create on serviceaccounts/token; let the kubelet mount projected tokens into the pods that need them.',
  severity: 'high',
  kinds: BINDING_KINDS,
  mappings: { cis: ['5.1.13'], iso27001: ['A.8.2', 'A.5.17'], nsa: ['rbac', 'pod-service-account-tokens'] },
  requires: RBAC_REQUIRES,
  target: 'binding',
  check: (binding, ctx) =>
    grantViolations(
      binding,
      ctx,
      RISK_QUERIES.tokenCreate,
      ({ subject, scope, grant }) => `${subject} can create ServiceAccount tokens ${scope}, acting as any ServiceAccount there${via(grant)}`,
      lowerInNamespace('medium'),
    ),
});
