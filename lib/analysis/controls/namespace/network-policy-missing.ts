import { absence, defineControl } from '@/lib/analysis/model/control';

export const networkPolicyMissing = defineControl({
  id: 'namespace.network-policy-missing',
  version: 1,
  title: 'Every namespace has NetworkPolicies',
  description: 'Reports namespaces with no NetworkPolicy at all.',
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
  check: (namespace) =>
    namespace.policies.length > 0
      ? []
      : [
          absence(
            `namespace ${namespace.name} has no NetworkPolicy: its ${namespace.workloads} workload(s) accept traffic from anywhere in the cluster`,
            `a NetworkPolicy in namespace ${namespace.name}`,
            'networkpolicy',
            { kind: 'NetworkPolicy', namespace: namespace.name, name: '*' },
          ),
        ],
});
