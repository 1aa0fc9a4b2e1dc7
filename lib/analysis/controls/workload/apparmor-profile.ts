import { defineControl } from '@/lib/analysis/model/control';
import { checkPodSecurity } from '@/lib/analysis/model/pod-security';
import { fromPss, WORKLOAD_KINDS, WORKLOAD_REQUIRES } from './shared';

export const appArmorProfile = defineControl({
  id: 'workload.apparmor-profile',
  version: 1,
  title: 'Containers keep an AppArmor profile',
  description:
    'Reports containers whose AppArmor profile is set to anything but RuntimeDefault or Localhost: securityContext.appArmorProfile at the pod or container level, and the legacy container.apparmor.security.beta.kubernetes.io/<container> annotation.',
  rationale:
    'On nodes with AppArmor, the runtime confines every container with its default profile. Unconfined removes that confinement: the container\'s processes may then mount, ptrace and write to /proc and /sys paths the profile denies.',
  remediation: [
    'Remove the Unconfined profile (the runtime default then applies), or name a profile loaded on the nodes:',
    '',
    '```yaml',
    'securityContext:',
    '  appArmorProfile:',
    '    type: RuntimeDefault   # or Localhost with localhostProfile: <name>',
    '```',
  ].join('\n'),
  severity: 'medium',
  kinds: WORKLOAD_KINDS,
  mappings: { cis: ['5.7.3'], iso27001: ['A.8.9', 'A.8.27'], nsa: ['pod-security-context'], pss: 'baseline' },
  requires: WORKLOAD_REQUIRES,
  target: 'workload',
  check: (workload) => checkPodSecurity(workload, 'appArmor').map((v) => fromPss(v)),
});
