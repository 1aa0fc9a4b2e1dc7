import { defineControl, type Violation } from '@/lib/analysis/model/control';
import { effectiveHostProcess } from '@/lib/analysis/model/security-context';
import { containerItem } from '@/lib/analysis/model/workload-types';
import { describeContainer, WORKLOAD_KINDS, WORKLOAD_REQUIRES } from './shared';

export const windowsHostProcess = defineControl({
  id: 'workload.windows-host-process',
  version: 1,
  title: 'No Windows HostProcess containers',
  description: 'Reports Windows containers with securityContext.windowsOptions.hostProcess: true, set on the container or inherited from the pod.',
  rationale: 'A HostProcess container runs directly on the Windows node as a host process, with access to its file system, network and devices: the Windows equivalent of privileged plus hostNetwork.',
  remediation: 'Remove windowsOptions.hostProcess (pod and container level). Node agents that need it belong in a platform namespace with its own admission exception.',
  severity: 'critical',
  kinds: WORKLOAD_KINDS,
  mappings: { cis: ['5.2.11'], iso27001: ['A.8.2', 'A.8.9'], nsa: ['pod-security-context'], pss: 'baseline' },
  requires: WORKLOAD_REQUIRES,
  target: 'workload',
  check: (workload) => {
    const violations: Violation[] = [];
    for (const c of workload.containers) {
      const hostProcess = effectiveHostProcess(workload, c);
      if (hostProcess.value !== true) continue;
      violations.push({
        message: `${describeContainer(c)} runs as a Windows HostProcess container${hostProcess.level === 'pod' ? ' (set on the pod)' : ''}`,
        evidence: { type: 'path', path: hostProcess.path, value: true, ...(c.pod ? { object: { kind: 'Pod', name: c.pod } } : {}) },
        item: containerItem(c, 'hostProcess'),
      });
    }
    return violations;
  },
});
