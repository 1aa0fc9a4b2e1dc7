import { absence, defineControl } from '@/lib/analysis/model/control';
import { isolatesNothing } from '@/lib/analysis/model/network-policy';

export const networkPolicyMissing = defineControl({
  id: 'namespace.network-policy-missing',
  version: 2,
  title: 'Every namespace has NetworkPolicies',
  description:
    'Reports namespaces with no NetworkPolicy at all, and namespaces whose every NetworkPolicy isolates nothing (selects no workload, or allows all traffic in every direction it declares): those count as absent.',
  rationale: 'Without a NetworkPolicy every pod of the namespace accepts traffic from every pod of the cluster, so one compromised workload can reach all others directly.',
  remediation: [
    'Start with a default-deny policy, then allow what each workload needs:',
    '',
    '```yaml',
    'apiVersion: networking.k8s.io/v1',
    'kind: NetworkPolicy',
    'metadata: { name: default-deny, namespace: team-a }',
    'spec:',
    '  podSelector: {}',
    '  policyTypes: [Ingress, Egress]',
    '```',
  ].join('\n'),
  severity: 'medium',
  kinds: ['Namespace'],
  mappings: { cis: ['5.3.2'], iso27001: ['A.8.22', 'A.8.20'], nsa: ['network-policies'] },
  requires: ['namespaces', 'networkpolicies'],
  target: 'namespace',
  check: (namespace) => {
    const searched = { kind: 'NetworkPolicy', namespace: namespace.name, name: '*' };
    if (namespace.policies.length === 0) {
      return [
        absence(
          `namespace ${namespace.name} has no NetworkPolicy: its ${namespace.workloads} workload(s) accept traffic from anywhere in the cluster`,
          `a NetworkPolicy in namespace ${namespace.name}`,
          'networkpolicy',
          searched,
        ),
      ];
    }
    // With nothing running there is nothing to isolate yet: the presence of a policy is all that can be judged.
    if (namespace.workloads === 0 || namespace.policies.some((policy) => !isolatesNothing(policy, namespace.workloadLabels))) return [];
    const names = namespace.policies.map((policy) => policy.object.metadata.name).join(', ');
    // The same item as "no policy": it is the same problem, and fixing one form must not open the other.
    return [
      absence(
        `namespace ${namespace.name} has NetworkPolicies (${names}) but none isolates anything: its ${namespace.workloads} workload(s) accept traffic from anywhere in the cluster (see network.policy-isolates-nothing)`,
        `a NetworkPolicy in namespace ${namespace.name} that selects its pods and restricts their traffic`,
        'networkpolicy',
        searched,
      ),
    ];
  },
});
