import { defineControl } from '@/lib/analysis/model/control';
import { RISK_QUERIES } from '@/lib/analysis/model/rbac/risks';
import { grantViolations, via } from '@/lib/analysis/model/rbac/grant-violations';
import { BINDING_KINDS, RBAC_REQUIRES } from './shared';

export const admissionWebhooks = defineControl({
  id: 'rbac.admission-webhooks',
  version: 1,
  title: 'Access to change admission webhooks is minimal',
  description: 'Reports subjects that can create, update, patch or delete validating or mutating webhook configurations.',
  rationale:
    'Admission webhooks see, and can rewrite, every object sent to the API server. Changing one can switch off a policy engine or send every Secret written to the cluster to an outside endpoint.',
  remediation: 'Restrict write access on validatingwebhookconfigurations and mutatingwebhookconfigurations to the platform team and to the policy engine itself, by resourceNames where possible.',
  severity: 'high',
  kinds: BINDING_KINDS,
  mappings: { cis: ['5.1.12'], iso27001: ['A.8.2', 'A.8.9'], nsa: ['rbac', 'pod-security-enforcement'] },
  requires: RBAC_REQUIRES,
  target: 'binding',
  check: (binding, ctx) =>
    grantViolations(
      binding,
      ctx,
      RISK_QUERIES.webhookConfiguration,
      ({ subject, verbs, grant }) => `${subject} can ${verbs} admission webhook configurations${via(grant)}`,
    ),
});
