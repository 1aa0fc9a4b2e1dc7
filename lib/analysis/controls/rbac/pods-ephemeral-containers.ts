import { defineControl } from '@/lib/analysis/model/control';
import { RISK_QUERIES } from '@/lib/analysis/model/rbac/risks';
import { grantViolations, via } from '@/lib/analysis/model/rbac/grant-violations';
import { BINDING_KINDS, RBAC_REQUIRES } from './shared';

export const podsEphemeralContainers = defineControl({
  id: 'rbac.pods-ephemeral-containers',
  version: 1,
  title: 'Access to add ephemeral containers is minimal',
  description: 'Reports subjects that can update or patch pods/ephemeralcontainers.',
  rationale:
    'Adding an ephemeral container (kubectl debug) starts a new container in a running pod. Admission policies written for pod creation often do not look at this subresource, so it can add a privileged container to an existing pod.',
  remediation: 'Remove pods/ephemeralcontainers from everyday roles, and make sure your admission policy also checks ephemeral containers.',
  severity: 'high',
  kinds: BINDING_KINDS,
  mappings: { cis: [], iso27001: ['A.8.2', 'A.8.18'], nsa: ['rbac', 'pod-security-enforcement'] },
  requires: RBAC_REQUIRES,
  target: 'binding',
  check: (binding, ctx) =>
    grantViolations(
      binding,
      ctx,
      RISK_QUERIES.podsEphemeralContainers,
      ({ subject, scope, verbs, grant }) => `${subject} can ${verbs} pods/ephemeralcontainers ${scope}, adding containers to running pods past pod-creation admission checks${via(grant)}`,
    ),
});
