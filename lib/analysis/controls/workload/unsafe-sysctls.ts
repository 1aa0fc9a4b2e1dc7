import { defineControl } from '@/lib/analysis/model/control';
import { checkPodSecurity, SAFE_SYSCTLS } from '@/lib/analysis/model/pod-security';
import { fromPss, WORKLOAD_KINDS, WORKLOAD_REQUIRES } from './shared';

export const unsafeSysctls = defineControl({
  id: 'workload.unsafe-sysctls',
  version: 1,
  title: 'Pods set only safe sysctls',
  description: `Reports pods whose securityContext.sysctls name a sysctl outside the Pod Security Standards' safe set (${[...SAFE_SYSCTLS.keys()].join(', ')}).`,
  rationale:
    'Sysctls outside the safe set are not isolated per pod: they change the kernel of the whole node (memory, networking, shared memory limits) for every pod on it, or let one pod starve the others.',
  remediation: [
    'Remove the sysctl from spec.securityContext.sysctls. If the application truly needs it, set it on dedicated nodes',
    '(the kubelet\'s --allowed-unsafe-sysctls) and schedule the workload there with its own admission exception.',
  ].join('\n'),
  severity: 'medium',
  kinds: WORKLOAD_KINDS,
  mappings: { cis: ['5.7.3'], iso27001: ['A.8.9', 'A.8.27'], nsa: ['pod-security-context'], pss: 'baseline' },
  requires: WORKLOAD_REQUIRES,
  target: 'workload',
  check: (workload) => checkPodSecurity(workload, 'sysctls').map((v) => fromPss(v)),
});
