import { containerViolation, defineControl } from '@/lib/analysis/model/control';
import { hasDropAll } from '@/lib/analysis/model/workload';
import { describeContainer, WORKLOAD_KINDS, WORKLOAD_REQUIRES } from './shared';

export const capabilitiesNotDropped = defineControl({
  id: 'workload.capabilities-not-dropped',
  version: 1,
  title: 'Containers drop all capabilities',
  description: 'Reports containers whose securityContext.capabilities.drop does not include ALL.',
  rationale: 'Container runtimes start processes with a default set of about fourteen capabilities (CHOWN, SETUID, NET_RAW...). Dropping ALL and adding back what is needed keeps a compromised process from using them.',
  remediation: ['```yaml', 'securityContext:', '  capabilities:', '    drop: [ALL]', '    # add: [NET_BIND_SERVICE]  # only if needed', '```'].join('\n'),
  severity: 'low',
  kinds: WORKLOAD_KINDS,
  mappings: { cis: ['5.2.10'], iso27001: ['A.8.9', 'A.8.27'], nsa: ['pod-security-context'], pss: 'restricted' },
  requires: WORKLOAD_REQUIRES,
  target: 'workload',
  check: (workload) =>
    workload.containers
      .filter((c) => !hasDropAll(c))
      .map((c) =>
        containerViolation(c, 'securityContext.capabilities.drop', `${describeContainer(c)} does not drop ALL capabilities`, c.securityContext?.capabilities?.drop ?? null),
      ),
});
