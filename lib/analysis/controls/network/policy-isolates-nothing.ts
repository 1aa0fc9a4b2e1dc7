import { defineControl, type Violation } from '@/lib/analysis/model/control';
import { isolatesNothing } from '@/lib/analysis/model/network-policy';

export const policyIsolatesNothing = defineControl({
  id: 'network.policy-isolates-nothing',
  version: 1,
  title: 'NetworkPolicies isolate something',
  description:
    'Reports NetworkPolicies that change nothing: their podSelector matches no workload of the namespace, or in every direction they declare one of their own rules allows every peer on every port (an `ingress: [{}]` rule). Evidence names the rule.',
  rationale:
    'Such a policy reads as protection in a review or an audit while every pod stays as reachable as without it. Policies are additive: an allow-all rule also undoes every stricter policy that selects the same pods, including a default deny.',
  remediation:
    'Delete the policy, or give it a podSelector that matches the pods it is meant for and rules that name the peers (podSelector, namespaceSelector with labels, narrow ipBlock) and ports those pods need.',
  severity: 'medium',
  kinds: ['NetworkPolicy'],
  mappings: { cis: ['5.3.2'], iso27001: ['A.8.22', 'A.8.20'], nsa: ['network-policies'] },
  requires: ['pods', 'networkpolicies'],
  target: 'networkPolicy',
  check: ({ policy, workloadLabels }) => {
    const found = isolatesNothing(policy, workloadLabels);
    if (!found) return [];
    const name = policy.object.metadata.name;
    const v: Violation = found.opening
      ? {
          message: `NetworkPolicy ${name} isolates nothing: ${found.reason} (${found.opening.path})`,
          evidence: { type: 'path', path: found.opening.path, value: { policyTypes: policy.policyTypes, ports: found.opening.ports, peers: 'all' } },
          item: 'allows-all',
        }
      : {
          message: `NetworkPolicy ${name} isolates nothing: ${found.reason}`,
          evidence: { type: 'path', path: 'spec.podSelector', value: selectorJson(policy.podSelector) },
          item: 'selects-nothing',
        };
    return [v];
  },
});

function selectorJson(selector: { matchLabels: Record<string, string>; matchExpressions: { key: string; operator: string; values: string[] }[] }) {
  return {
    ...(Object.keys(selector.matchLabels).length > 0 ? { matchLabels: selector.matchLabels } : {}),
    ...(selector.matchExpressions.length > 0 ? { matchExpressions: selector.matchExpressions.map((e) => ({ key: e.key, operator: e.operator, values: e.values })) } : {}),
  };
}
