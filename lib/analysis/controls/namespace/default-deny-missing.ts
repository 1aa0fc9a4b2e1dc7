import { absence, defineControl } from '@/lib/analysis/model/control';
import { selectsAllPods } from '@/lib/analysis/model/targets';

export const defaultDenyMissing = defineControl({
  id: 'namespace.default-deny-missing',
  version: 1,
  title: 'Namespaces with NetworkPolicies deny by default',
  description:
    'Reports namespaces that have NetworkPolicies but none selecting every pod for Ingress, or none for Egress (a default deny), and says which direction is open. Namespaces with no policy at all are reported by namespace.network-policy-missing.',
  rationale: 'Policies that select some pods leave every other pod, including the next one deployed, open. A policy with an empty podSelector makes deny the default and each allowed flow explicit.',
  remediation: ['```yaml', 'apiVersion: networking.k8s.io/v1', 'kind: NetworkPolicy', 'metadata: { name: default-deny }', 'spec:', '  podSelector: {}', '  policyTypes: [Ingress, Egress]', '```'].join('\n'),
  severity: 'low',
  kinds: ['Namespace'],
  mappings: { cis: ['5.3.2'], iso27001: ['A.8.22', 'A.8.20'], nsa: ['network-policies'] },
  requires: ['namespaces', 'networkpolicies'],
  target: 'namespace',
  check: (namespace) => {
    if (namespace.policies.length === 0) return [];
    const missing = (['Ingress', 'Egress'] as const).filter((direction) => !namespace.policies.some((p) => selectsAllPods(p, direction)));
    if (missing.length === 0) return [];
    return [
      absence(
        `namespace ${namespace.name} has NetworkPolicies but no default deny for ${missing.join(' or ')}: pods no policy selects accept that traffic`,
        `a NetworkPolicy with podSelector: {} and policyTypes ${missing.join(', ')}`,
        `default-deny:${missing.join('+')}`,
      ),
    ];
  },
});
