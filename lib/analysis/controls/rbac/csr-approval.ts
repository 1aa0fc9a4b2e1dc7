import { defineControl } from '@/lib/analysis/model/control';
import { RISK_QUERIES } from '@/lib/analysis/model/rbac/risks';
import { grantViolations, via } from '@/lib/analysis/model/rbac/grant-violations';
import { BINDING_KINDS, RBAC_REQUIRES } from './shared';

export const csrApproval = defineControl({
  id: 'rbac.csr-approval',
  version: 1,
  title: 'Access to approve certificate signing requests is minimal',
  description: 'Reports subjects that can update certificatesigningrequests/approval.',
  rationale:
    'Approving a CertificateSigningRequest issues a client certificate the API server trusts. With it, a subject can mint credentials for any user or group, including system:masters, that RBAC cannot revoke.',
  remediation: 'Leave approval to the controller manager and to a small, audited group. Remove update/patch on certificatesigningrequests/approval from other roles.',
  severity: 'high',
  kinds: BINDING_KINDS,
  mappings: { cis: ['5.1.11'], iso27001: ['A.8.2', 'A.8.5'], nsa: ['rbac', 'authentication'] },
  requires: RBAC_REQUIRES,
  target: 'binding',
  check: (binding, ctx) =>
    grantViolations(
      binding,
      ctx,
      RISK_QUERIES.csrApproval,
      ({ subject, verbs, grant }) => `${subject} can ${verbs} certificatesigningrequests/approval and so issue client certificates${via(grant)}`,
    ),
});
