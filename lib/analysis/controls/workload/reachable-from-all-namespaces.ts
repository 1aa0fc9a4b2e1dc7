import { defineControl } from '@/lib/analysis/model/control';
import { openingViolations } from './network-openings';
import { WORKLOAD_KINDS } from './shared';

export const reachableFromAllNamespaces = defineControl({
  id: 'workload.reachable-from-all-namespaces',
  version: 1,
  title: 'NetworkPolicies do not open workloads to every namespace',
  description:
    'Reports workloads that NetworkPolicies isolate for ingress but whose policies let every namespace in: a peer with `namespaceSelector: {}` (with or without a podSelector), or a rule with no `from` that lists ports. Evidence names the policy and the rule. Workloads no policy selects, or selected by an allow-all rule (no `from`, no `ports`), are reported by workload.network-isolation.',
  rationale:
    'Namespaces are the boundary between teams and tenants. A rule that admits every namespace lets a compromised pod anywhere in the cluster reach the workload; with a podSelector beside `namespaceSelector: {}`, anyone who may create a pod with those labels in any namespace gets in.',
  remediation: 'Name the namespaces that need access with a namespaceSelector on their labels (for example kubernetes.io/metadata.name), together with a podSelector for the client pods.',
  severity: 'medium',
  kinds: WORKLOAD_KINDS,
  mappings: { cis: ['5.3.2'], iso27001: ['A.8.22', 'A.8.20'], nsa: ['network-policies'] },
  requires: ['pods', 'networkpolicies'],
  target: 'workload',
  check: (workload, ctx) =>
    openingViolations(
      workload,
      ctx,
      'Ingress',
      (opening) => opening.scope === 'all-namespaces' || (opening.scope === 'everything' && !opening.allPorts),
      (subject) => `${subject} accepts traffic from every namespace`,
      'ingress:all-namespaces',
    ),
});
