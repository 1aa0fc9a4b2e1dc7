import { defineControl } from '@/lib/analysis/model/control';
import { RISK_QUERIES } from '@/lib/analysis/model/rbac/risks';
import { grantViolations, lowerInNamespace, via } from '@/lib/analysis/model/rbac/grant-violations';
import { BINDING_KINDS, RBAC_REQUIRES } from './shared';

export const podsExec = defineControl({
  id: 'rbac.pods-exec',
  version: 1,
  title: 'Access to exec into or attach to pods is minimal',
  description: 'Reports subjects that can use pods/exec or pods/attach.',
  rationale:
    'Exec gives a shell inside a running container: its files, its mounted Secrets and its ServiceAccount token. It bypasses the deployment process and leaves little trace beyond the audit log.',
  remediation: 'Remove pods/exec and pods/attach from everyday roles; grant them for incidents through a time-limited, audited break-glass role.',
  severity: 'high',
  kinds: BINDING_KINDS,
  mappings: { cis: [], iso27001: ['A.8.2', 'A.8.18'], nsa: ['rbac'] },
  requires: RBAC_REQUIRES,
  target: 'binding',
  check: (binding, ctx) =>
    grantViolations(
      binding,
      ctx,
      // WebSocket clients open exec with a GET, so get on pods/exec is as good as create.
      RISK_QUERIES.podsExec,
      ({ subject, scope, grant }) => `${subject} can exec into or attach to pods ${scope}${via(grant)}`,
      lowerInNamespace('medium'),
    ),
});
