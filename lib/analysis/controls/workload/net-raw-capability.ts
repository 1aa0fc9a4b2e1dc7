import { containerViolation, defineControl, type Violation } from '@/lib/analysis/model/control';
import { normalizeCapability } from '@/lib/analysis/model/workload';
import { describeContainer, WORKLOAD_KINDS, WORKLOAD_REQUIRES } from './shared';

export const netRawCapability = defineControl({
  id: 'workload.net-raw-capability',
  version: 1,
  title: 'Containers do not keep NET_RAW',
  description: 'Reports containers that add NET_RAW (or ALL), or that drop neither NET_RAW nor ALL.',
  rationale:
    'Container runtimes grant NET_RAW by default. It allows raw and packet sockets: ARP and DNS spoofing of neighbouring pods, and a frequent ingredient of container-escape exploits. Few applications need it.',
  remediation: ['Drop it (better: drop everything):', '', '```yaml', 'securityContext:', '  capabilities:', '    drop: [ALL]', '```'].join('\n'),
  severity: 'medium',
  kinds: WORKLOAD_KINDS,
  mappings: { cis: ['5.2.8'], iso27001: ['A.8.9', 'A.8.20'], nsa: ['pod-security-context'], pss: 'restricted' },
  requires: WORKLOAD_REQUIRES,
  target: 'workload',
  check: (workload) => {
    const violations: Violation[] = [];
    for (const c of workload.containers) {
      const caps = c.securityContext?.capabilities;
      const added = (caps?.add ?? []).map(normalizeCapability);
      const dropped = (caps?.drop ?? []).map(normalizeCapability);
      if (added.includes('NET_RAW') || added.includes('ALL')) {
        violations.push(containerViolation(c, 'securityContext.capabilities.add', `${describeContainer(c)} adds NET_RAW`, caps?.add ?? []));
      } else if (!dropped.includes('NET_RAW') && !dropped.includes('ALL')) {
        violations.push(
          containerViolation(c, 'securityContext.capabilities.drop', `${describeContainer(c)} keeps the default NET_RAW capability (drops neither NET_RAW nor ALL)`, caps?.drop ?? null),
        );
      }
    }
    return violations;
  },
});
