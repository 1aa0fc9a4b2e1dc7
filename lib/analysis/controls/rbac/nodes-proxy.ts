import { defineControl } from '@/lib/analysis/model/control';
import { RISK_QUERIES } from '@/lib/analysis/model/rbac/risks';
import { grantViolations, via } from '@/lib/analysis/model/rbac/grant-violations';
import { BINDING_KINDS, RBAC_REQUIRES } from './shared';

export const nodesProxy = defineControl({
  id: 'rbac.nodes-proxy',
  version: 1,
  title: 'Access to the nodes/proxy subresource is minimal',
  description: 'Reports subjects that can use nodes/proxy.',
  rationale:
    'nodes/proxy reaches the kubelet API directly: it can run commands in any pod on the node, and those calls bypass the API server audit log and admission control.',
  remediation: 'Remove nodes/proxy from the role. Monitoring agents usually need only nodes/metrics or nodes/stats.',
  severity: 'high',
  kinds: BINDING_KINDS,
  mappings: { cis: ['5.1.10'], iso27001: ['A.8.2', 'A.8.18', 'A.8.15'], nsa: ['rbac'] },
  requires: RBAC_REQUIRES,
  target: 'binding',
  check: (binding, ctx) =>
    grantViolations(
      binding,
      ctx,
      RISK_QUERIES.nodesProxy,
      ({ subject, verbs, grant }) => `${subject} can ${verbs} nodes/proxy, reaching every kubelet without audit or admission${via(grant)}`,
    ),
});
