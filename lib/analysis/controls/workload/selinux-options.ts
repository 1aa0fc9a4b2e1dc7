import { defineControl } from '@/lib/analysis/model/control';
import { checkPodSecurity, SELINUX_TYPES } from '@/lib/analysis/model/pod-security';
import { fromPss, WORKLOAD_KINDS, WORKLOAD_REQUIRES } from './shared';

export const seLinuxOptions = defineControl({
  id: 'workload.selinux-options',
  version: 1,
  title: 'Containers do not choose their SELinux user, role or an unconfined type',
  description: `Reports pods and containers whose securityContext.seLinuxOptions set a user, a role, or a type other than ${[...SELINUX_TYPES.keys()].join(', ')}.`,
  rationale:
    'On SELinux nodes the container types confine what a container may touch on the host. A custom type (spc_t, unconfined_t) or a chosen user or role lifts that confinement: an escape lands with the host\'s labels.',
  remediation: [
    'Remove seLinuxOptions.user and seLinuxOptions.role, and leave seLinuxOptions.type unset (the runtime picks container_t)',
    'or set one of the container types. `level` (the MCS categories) may stay.',
  ].join('\n'),
  severity: 'high',
  kinds: WORKLOAD_KINDS,
  mappings: { cis: ['5.7.3'], iso27001: ['A.8.2', 'A.8.9'], nsa: ['pod-security-context'], pss: 'baseline' },
  requires: WORKLOAD_REQUIRES,
  target: 'workload',
  check: (workload) => checkPodSecurity(workload, 'seLinux').map((v) => fromPss(v)),
});
