import { absence, defineControl, type Violation } from '@/lib/analysis/model/control';
import { describeRef, refOf } from '@/lib/analysis/model/kube';
import { describeOpening, DIRECTIONS } from '@/lib/analysis/model/network-policy';
import { isolationOf } from './network-openings';
import { WORKLOAD_KINDS } from './shared';

/** The texts for the directions no policy covers, by [none, Ingress, Egress, both]: most workloads of a cluster lack one. */
const MISSING = [undefined, ['Ingress'], ['Egress'], ['Ingress', 'Egress']].map((missing) =>
  missing
    ? {
        message: `is selected by no NetworkPolicy for ${missing.join(' or ')}, so that traffic is unrestricted`,
        expected: `a NetworkPolicy selecting its pods for ${missing.join(' and ')}`,
        item: `isolation:${missing.join('+')}`,
      }
    : undefined,
);

export const networkIsolation = defineControl({
  id: 'workload.network-isolation',
  version: 2,
  title: 'Workloads are isolated by NetworkPolicies for ingress and egress',
  description:
    'Reports workloads whose pods no NetworkPolicy selects for Ingress, or none for Egress, and workloads that are selected but where one selecting policy has an allow-all rule in that direction (no `from`/`to` and no `ports`): policies are additive, so that rule undoes every stricter one. Evidence names the policy and the rule.',
  rationale: 'A pod no policy selects in a direction accepts (or sends) any traffic in that direction, and so does a pod one of whose policies allows everything. Egress matters as much as ingress: it is how a compromised pod reaches the cloud metadata endpoint or exfiltrates data.',
  remediation:
    'Add a default-deny policy for the namespace (see namespace.default-deny-missing) and policies that allow the traffic the workload needs; remove allow-all rules (`ingress: [{}]`, `egress: [{}]`) or narrow them to the peers and ports that are needed.',
  severity: 'low',
  kinds: WORKLOAD_KINDS,
  mappings: { cis: [], iso27001: ['A.8.22', 'A.8.20'], nsa: ['network-policies'] },
  requires: ['pods', 'networkpolicies'],
  target: 'workload',
  check: (workload, ctx) => {
    const isolation = isolationOf(workload, ctx);
    // Named only when there is something to say: most workloads of a cluster pass here (issue 21: L bench).
    let named: string | undefined;
    const violations: Violation[] = [];
    const missing = MISSING[(isolation.Ingress.selectedBy.length === 0 ? 1 : 0) + (isolation.Egress.selectedBy.length === 0 ? 2 : 0)];
    if (missing) {
      violations.push(absence(`${(named ??= describeRef(refOf(workload.object)))} ${missing.message}`, missing.expected, missing.item));
    }
    for (const direction of DIRECTIONS) {
      const allowAll = isolation[direction].allowAll;
      if (!allowAll) continue;
      violations.push({
        message: `${(named ??= describeRef(refOf(workload.object)))} is selected for ${direction} but ${describeOpening(allowAll)}, so that traffic is unrestricted`,
        evidence: {
          type: 'path',
          path: allowAll.path,
          value: { policy: allowAll.policy, rule: allowAll.ruleIndex, scope: allowAll.scope, ports: allowAll.ports },
          object: { kind: 'NetworkPolicy', name: allowAll.policy },
        },
        item: `allow-all:${direction}`,
      });
    }
    return violations;
  },
});
