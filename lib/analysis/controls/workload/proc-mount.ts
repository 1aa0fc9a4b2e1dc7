import { defineControl } from '@/lib/analysis/model/control';
import { checkPodSecurity } from '@/lib/analysis/model/pod-security';
import { fromPss, WORKLOAD_KINDS, WORKLOAD_REQUIRES } from './shared';

export const procMount = defineControl({
  id: 'workload.proc-mount',
  version: 1,
  title: 'Containers keep the default masked /proc',
  description: 'Reports containers with securityContext.procMount other than Default.',
  rationale: 'The runtime masks parts of /proc (kcore, keys, sysrq-trigger...) that expose or control the node\'s kernel. procMount: Unmasked removes that protection.',
  remediation: 'Remove securityContext.procMount (or set it to Default).',
  severity: 'high',
  kinds: WORKLOAD_KINDS,
  mappings: { cis: ['5.7.3'], iso27001: ['A.8.9'], nsa: ['pod-security-context'], pss: 'baseline' },
  requires: WORKLOAD_REQUIRES,
  target: 'workload',
  check: (workload) => checkPodSecurity(workload, 'procMount').map((v) => fromPss(v)),
});
