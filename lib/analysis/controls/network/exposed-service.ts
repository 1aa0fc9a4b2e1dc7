import { defineControl, violation } from '@/lib/analysis/model/control';
import { isRecord } from '@/lib/analysis/model/json';

export const exposedService = defineControl({
  id: 'network.exposed-service',
  version: 1,
  title: 'Services are not exposed on node ports or load balancers without review',
  description: 'Reports Services of type LoadBalancer or NodePort.',
  rationale: 'LoadBalancer and NodePort Services open the workload beyond the cluster, often to the internet, bypassing the Ingress layer where TLS, authentication and rate limits usually live.',
  remediation: 'Use a ClusterIP Service behind an Ingress or Gateway. When direct exposure is intended, restrict it with spec.loadBalancerSourceRanges (or an internal load balancer annotation) and accept the risk with the reason.',
  severity: 'medium',
  kinds: ['Service'],
  mappings: { cis: [], iso27001: ['A.8.20', 'A.8.22'], nsa: ['network-separation'] },
  requires: ['services'],
  target: 'service',
  check: (service) => {
    const spec = isRecord(service.spec) ? service.spec : {};
    const type = spec.type;
    if (type !== 'LoadBalancer' && type !== 'NodePort') return [];
    const ranges = Array.isArray(spec.loadBalancerSourceRanges) ? spec.loadBalancerSourceRanges : [];
    const v = violation(
      type === 'LoadBalancer'
        ? `Service ${service.metadata.name} is exposed through a load balancer${ranges.length > 0 ? ` (source ranges: ${ranges.join(', ')})` : ' to any source'}`
        : `Service ${service.metadata.name} is exposed on a port of every node (NodePort)`,
      'spec.type',
      type,
      'type',
    );
    return [type === 'NodePort' || ranges.length > 0 ? { ...v, severity: 'low' as const } : v];
  },
});
