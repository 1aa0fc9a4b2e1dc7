import { containerViolation, defineControl } from '@/lib/analysis/model/control';
import { describeContainer, WORKLOAD_KINDS, WORKLOAD_REQUIRES } from './shared';

export const cpuLimits = defineControl({
  id: 'workload.cpu-limits',
  version: 1,
  title: 'Containers set a CPU limit',
  description: 'Reports containers and init containers without resources.limits.cpu (ephemeral containers cannot set resources).',
  rationale: "A CPU limit keeps one workload from starving its neighbours on the node; without it, a busy or compromised container takes every core it can.",
  remediation: ['```yaml', 'resources:', '  limits:', '    cpu: 500m', '```', '', 'A LimitRange in the namespace can supply a default for every container.'].join('\n'),
  severity: 'low',
  kinds: WORKLOAD_KINDS,
  mappings: { cis: [], iso27001: ['A.8.6'], nsa: ['resource-policies'] },
  requires: WORKLOAD_REQUIRES,
  target: 'workload',
  check: (workload) =>
    workload.containers
      .filter((c) => c.kind !== 'ephemeralContainer' && !c.limits.cpu)
      .map((c) => containerViolation(c, 'resources.limits.cpu', `${describeContainer(c)} has no CPU limit`, null)),
});
