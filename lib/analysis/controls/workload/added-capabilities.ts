import { defineControl, type Violation } from '@/lib/analysis/model/control';
import { checkPodSecurity } from '@/lib/analysis/model/pod-security';
import { normalizeCapability } from '@/lib/analysis/model/workload';
import { containerItem } from '@/lib/analysis/model/workload-types';
import { fromPss, WORKLOAD_KINDS, WORKLOAD_REQUIRES } from './shared';

/** Capabilities that amount to root on the node, or close to it. */
const DANGEROUS = new Set([
  'ALL', 'SYS_ADMIN', 'NET_ADMIN', 'SYS_PTRACE', 'SYS_MODULE', 'SYS_RAWIO', 'SYS_BOOT', 'BPF', 'PERFMON', 'DAC_READ_SEARCH',
  'DAC_OVERRIDE', 'MAC_ADMIN', 'MAC_OVERRIDE', 'SYS_TIME', 'SETPCAP', 'NET_RAW',
]);


export const addedCapabilities = defineControl({
  id: 'workload.added-capabilities',
  version: 1,
  title: 'Containers do not add Linux capabilities',
  description: 'Reports containers that add capabilities other than NET_BIND_SERVICE; SYS_ADMIN, ALL and other near-root capabilities are high severity.',
  rationale: 'Each added capability hands the container a slice of root: SYS_ADMIN alone is enough to mount the node\'s file systems, SYS_PTRACE to read other processes\' memory.',
  remediation: 'Remove the capability from securityContext.capabilities.add. If the application needs a privileged port, run it on a port above 1024 or add only NET_BIND_SERVICE.',
  severity: 'high',
  kinds: WORKLOAD_KINDS,
  mappings: { cis: ['5.2.9'], iso27001: ['A.8.2', 'A.8.9'], nsa: ['pod-security-context'], pss: 'baseline' },
  requires: WORKLOAD_REQUIRES,
  target: 'workload',
  // Baseline's row (adds outside the runtime's default set) and restricted's (any add but NET_BIND_SERVICE): together,
  // every add but NET_BIND_SERVICE.
  check: (workload) => {
    const violations: Violation[] = [];
    const adds = [...checkPodSecurity(workload, 'capabilities'), ...checkPodSecurity(workload, 'capabilitiesRestricted')];
    for (const v of adds) {
      const c = v.container;
      if (!c || !v.path.includes('.capabilities.add[')) continue;
      const cap = normalizeCapability(typeof v.value === 'string' ? v.value : '');
      const item = containerItem(c, `securityContext.capabilities.add:${cap}`);
      violations.push({ ...fromPss(v, item), ...(DANGEROUS.has(cap) ? {} : { severity: 'medium' as const }) });
    }
    return violations;
  },
});
