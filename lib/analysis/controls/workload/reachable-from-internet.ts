import { defineControl } from '@/lib/analysis/model/control';
import { openingViolations } from './network-openings';
import { WORKLOAD_KINDS } from './shared';

export const reachableFromInternet = defineControl({
  id: 'workload.reachable-from-internet',
  version: 1,
  title: 'NetworkPolicies do not open workloads to every address outside the cluster',
  description:
    'Reports workloads whose ingress NetworkPolicies allow every address: an ipBlock of 0.0.0.0/0 or ::/0 (an `except` list narrows it only by its holes), or a rule with no `from` that lists ports. Evidence names the policy, the rule and the ports. Workloads no policy selects, or selected by an allow-all rule (no `from`, no `ports`), are reported by workload.network-isolation.',
  rationale:
    'Whatever route reaches the pod network (a LoadBalancer or NodePort Service, a flat VPC, a peered network), the policy no longer stands in the way: the workload is only as safe as every path to it.',
  remediation: 'Allow the addresses that need access (a load balancer\'s or ingress controller\'s range, an office CIDR) rather than 0.0.0.0/0, and prefer admitting the ingress controller\'s pods by podSelector and namespaceSelector.',
  severity: 'high',
  kinds: WORKLOAD_KINDS,
  mappings: { cis: ['5.3.2'], iso27001: ['A.8.22', 'A.8.20'], nsa: ['network-policies'] },
  requires: ['pods', 'networkpolicies'],
  target: 'workload',
  check: (workload, ctx) =>
    openingViolations(
      workload,
      ctx,
      'Ingress',
      (opening) => opening.scope === 'internet' || (opening.scope === 'everything' && !opening.allPorts),
      (subject) => `${subject} accepts traffic from outside the cluster`,
      'ingress:internet',
    ),
});
