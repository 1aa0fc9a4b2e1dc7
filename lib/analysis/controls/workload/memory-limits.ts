import { containerViolation, defineControl } from '@/lib/analysis/model/control';
import { describeContainer, WORKLOAD_KINDS, WORKLOAD_REQUIRES } from './shared';

export const memoryLimits = defineControl({
  id: 'workload.memory-limits',
  version: 1,
  title: 'Containers set a memory limit',
  description: 'Reports containers and init containers without resources.limits.memory (ephemeral containers cannot set resources).',
  rationale: "Without a memory limit a leaking or compromised container can exhaust the node's memory, and the kernel's OOM killer then picks victims among its neighbours.",
  remediation: ['```yaml', 'resources:', '  limits:', '    memory: 256Mi', '```', '', 'A LimitRange in the namespace can supply a default for every container.'].join('\n'),
  severity: 'medium',
  kinds: WORKLOAD_KINDS,
  mappings: { cis: [], iso27001: ['A.8.6'], nsa: ['resource-policies'] },
  requires: WORKLOAD_REQUIRES,
  target: 'workload',
  check: (workload) =>
    workload.containers
      .filter((c) => c.kind !== 'ephemeralContainer' && !c.limits.memory)
      .map((c) => containerViolation(c, 'resources.limits.memory', `${describeContainer(c)} has no memory limit`, null)),
});
