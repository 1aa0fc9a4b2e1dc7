import { absence, defineControl } from '@/lib/analysis/model/control';
import { describeRef, refOf } from '@/lib/analysis/model/kube';
import { selectsPod } from '@/lib/analysis/model/targets';
import { WORKLOAD_KINDS } from './shared';

export const networkIsolation = defineControl({
  id: 'workload.network-isolation',
  version: 1,
  title: 'Workloads are selected by NetworkPolicies for ingress and egress',
  description: 'Reports workloads whose pods no NetworkPolicy selects for Ingress, or none selects for Egress.',
  rationale: 'A pod no policy selects in a direction accepts (or sends) any traffic in that direction. Egress matters as much as ingress: it is how a compromised pod reaches the cloud metadata endpoint or exfiltrates data.',
  remediation: 'Add a default-deny policy for the namespace (see namespace.default-deny-missing) and policies that allow the traffic the workload needs.',
  severity: 'low',
  kinds: WORKLOAD_KINDS,
  mappings: { cis: [], iso27001: ['A.8.22', 'A.8.20'], nsa: ['network-policies'] },
  requires: ['pods', 'networkpolicies'],
  target: 'workload',
  check: (workload, ctx) => {
    const policies = ctx.policiesIn(workload.namespace).filter((policy) => selectsPod(policy, workload.spec.labels));
    const missing = (['Ingress', 'Egress'] as const).filter((direction) => !policies.some((p) => p.policyTypes.includes(direction)));
    if (missing.length === 0) return [];
    return [
      absence(
        `${describeRef(refOf(workload.object))} is selected by no NetworkPolicy for ${missing.join(' or ')}, so that traffic is unrestricted`,
        `a NetworkPolicy selecting its pods for ${missing.join(' and ')}`,
        `isolation:${missing.join('+')}`,
      ),
    ];
  },
});
