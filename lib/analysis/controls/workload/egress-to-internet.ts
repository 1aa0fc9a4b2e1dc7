import { defineControl } from '@/lib/analysis/model/control';
import { openingViolations } from './network-openings';
import { WORKLOAD_KINDS } from './shared';

export const egressToInternet = defineControl({
  id: 'workload.egress-to-internet',
  version: 1,
  title: 'Egress to the internet is restricted',
  description:
    'Reports workloads that NetworkPolicies isolate for egress but allow every address on every port through an ipBlock of 0.0.0.0/0 or ::/0 without `ports` (an `except` list narrows it only by its holes). A rule limited to ports (DNS on 53) is not reported. Evidence names the policy and the rule. Workloads no policy selects for egress, or selected by an allow-all rule (no `to`, no `ports`), are reported by workload.network-isolation.',
  rationale:
    'Unrestricted egress is how a compromised pod downloads its tooling, talks to its command server and carries data out; an egress policy that allows everything gives the appearance of control without any.',
  remediation:
    'Allow egress to the services the workload needs (namespaces and pods by selector, narrow CIDRs such as a database or a proxy) and the ports they listen on; send the rest through an egress proxy.',
  severity: 'medium',
  kinds: WORKLOAD_KINDS,
  mappings: { cis: ['5.3.2'], iso27001: ['A.8.22', 'A.8.20'], nsa: ['network-policies'] },
  requires: ['pods', 'networkpolicies'],
  target: 'workload',
  check: (workload, ctx) =>
    openingViolations(
      workload,
      ctx,
      'Egress',
      (opening) => opening.allPorts && opening.scope === 'internet',
      (subject) => `${subject} may send traffic anywhere on the internet`,
      'egress:internet',
    ),
});
