import { absence, defineControl, type Violation } from '@/lib/analysis/model/control';
import { defaultDenyOf, describeOpening, DIRECTIONS } from '@/lib/analysis/model/network-policy';

export const defaultDenyMissing = defineControl({
  id: 'namespace.default-deny-missing',
  version: 2,
  title: 'Namespaces with NetworkPolicies deny by default',
  description:
    'Reports namespaces that have NetworkPolicies but none selecting every pod for Ingress, or none for Egress (a default deny), and says which direction is open. A default deny beside an allow-all rule for every pod (`podSelector: {}` with `ingress: [{}]`, in the same or another policy) is no default deny: policies are additive, and the finding names the rule that undoes it. Namespaces with no policy at all are reported by namespace.network-policy-missing.',
  rationale: 'Policies that select some pods leave every other pod, including the next one deployed, open. A policy with an empty podSelector makes deny the default and each allowed flow explicit.',
  remediation: ['```yaml', 'apiVersion: networking.k8s.io/v1', 'kind: NetworkPolicy', 'metadata: { name: default-deny }', 'spec:', '  podSelector: {}', '  policyTypes: [Ingress, Egress]', '```', '', 'and no policy for every pod with an allow-all rule beside it.'].join('\n'),
  severity: 'low',
  kinds: ['Namespace'],
  mappings: { cis: ['5.3.2'], iso27001: ['A.8.22', 'A.8.20'], nsa: ['network-policies'] },
  requires: ['namespaces', 'networkpolicies'],
  target: 'namespace',
  check: (namespace) => {
    if (namespace.policies.length === 0) return [];
    const violations: Violation[] = [];
    const missing = DIRECTIONS.filter((direction) => defaultDenyOf(namespace.policies, direction).state === 'missing');
    if (missing.length > 0) {
      violations.push(
        absence(
          `namespace ${namespace.name} has NetworkPolicies but no default deny for ${missing.join(' or ')}: pods no policy selects accept that traffic`,
          `a NetworkPolicy with podSelector: {} and policyTypes ${missing.join(', ')}`,
          `default-deny:${missing.join('+')}`,
        ),
      );
    }
    for (const direction of DIRECTIONS) {
      const state = defaultDenyOf(namespace.policies, direction);
      if (state.state !== 'undone') continue;
      const { undoneBy } = state;
      violations.push({
        message: `namespace ${namespace.name}'s default deny for ${direction} (NetworkPolicy ${state.deny.object.metadata.name}) is undone: ${describeOpening(undoneBy)} for every pod`,
        evidence: {
          type: 'path',
          path: undoneBy.path,
          value: { policy: undoneBy.policy, rule: undoneBy.ruleIndex, scope: undoneBy.scope, ports: undoneBy.ports },
          object: { kind: 'NetworkPolicy', name: undoneBy.policy },
        },
        item: `default-deny-undone:${direction}`,
      });
    }
    return violations;
  },
});
