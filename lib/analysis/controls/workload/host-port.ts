import { defineControl } from '@/lib/analysis/model/control';
import { checkPodSecurity } from '@/lib/analysis/model/pod-security';
import { fromPss, WORKLOAD_KINDS, WORKLOAD_REQUIRES } from './shared';

export const hostPort = defineControl({
  id: 'workload.host-port',
  version: 1,
  title: 'Containers do not bind host ports',
  description: 'Reports container ports with a hostPort.',
  rationale: 'A hostPort opens the port on the node\'s own address, outside Services and often outside NetworkPolicy, and ties the pod to nodes where the port is free.',
  remediation: 'Remove hostPort and expose the container through a Service (ClusterIP behind an Ingress or Gateway).',
  severity: 'medium',
  kinds: WORKLOAD_KINDS,
  mappings: { cis: ['5.2.13'], iso27001: ['A.8.20', 'A.8.9'], nsa: ['network-separation'], pss: 'baseline' },
  requires: WORKLOAD_REQUIRES,
  target: 'workload',
  // The baseline standard allows host ports from "a known list"; the built-in admission has none, neither do we.
  check: (workload) => checkPodSecurity(workload, 'hostPorts').map((v) => fromPss(v)),
});
