import { defineControl, type Violation } from '@/lib/analysis/model/control';
import { effectiveSeccomp } from '@/lib/analysis/model/security-context';
import { containerItem } from '@/lib/analysis/model/workload-types';
import { describeContainer, WORKLOAD_KINDS, WORKLOAD_REQUIRES } from './shared';

export const seccompProfile = defineControl({
  id: 'workload.seccomp-profile',
  version: 1,
  title: 'Containers run with a seccomp profile',
  description: 'Reports containers whose effective seccomp profile (container, then pod, then the legacy annotations) is not RuntimeDefault or Localhost.',
  rationale: 'Without a profile, containers run Unconfined: every system call is available, including the ones most kernel exploits go through. RuntimeDefault blocks them and rarely breaks applications.',
  remediation: ['Set it once at the pod level:', '', '```yaml', 'spec:', '  securityContext:', '    seccompProfile:', '      type: RuntimeDefault', '```'].join('\n'),
  severity: 'medium',
  kinds: WORKLOAD_KINDS,
  mappings: { cis: ['5.7.2'], iso27001: ['A.8.9', 'A.8.27'], nsa: ['pod-security-context'], pss: 'restricted' },
  requires: WORKLOAD_REQUIRES,
  target: 'workload',
  check: (workload) => {
    const violations: Violation[] = [];
    for (const c of workload.containers) {
      const profile = effectiveSeccomp(workload, c);
      if (profile.value === 'RuntimeDefault' || profile.value === 'Localhost') continue;
      violations.push({
        message:
          profile.value === undefined
            ? `${describeContainer(c)} has no seccomp profile, so it runs Unconfined`
            : `${describeContainer(c)} uses seccomp profile ${profile.value}${profile.level === 'pod' ? ' (set on the pod)' : ''}`,
        evidence: { type: 'path', path: profile.path, value: profile.value ?? null, ...(c.pod ? { object: { kind: 'Pod', name: c.pod } } : {}) },
        item: containerItem(c, 'seccomp'),
      });
    }
    return violations;
  },
});
