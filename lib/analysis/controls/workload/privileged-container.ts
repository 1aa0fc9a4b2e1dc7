import { defineControl } from '@/lib/analysis/model/control';
import { checkPodSecurity } from '@/lib/analysis/model/pod-security';
import { fromPss, WORKLOAD_KINDS, WORKLOAD_REQUIRES } from './shared';

export const privilegedContainer = defineControl({
  id: 'workload.privileged-container',
  version: 1,
  title: 'Containers do not run privileged',
  description: 'Reports containers, init containers and ephemeral containers with securityContext.privileged: true.',
  rationale: 'A privileged container holds every capability of the node it runs on and can reach its devices: escaping to the node is a matter of mounting its disk.',
  remediation: [
    'Remove securityContext.privileged, or set it to false, and add only the capability the container needs:',
    '',
    '```yaml',
    'securityContext:',
    '  privileged: false',
    '  capabilities: { drop: [ALL], add: [NET_BIND_SERVICE] }',
    '```',
  ].join('\n'),
  severity: 'critical',
  kinds: WORKLOAD_KINDS,
  mappings: { cis: ['5.2.2'], iso27001: ['A.8.2', 'A.8.9', 'A.8.27'], nsa: ['pod-security-context'], pss: 'baseline' },
  requires: WORKLOAD_REQUIRES,
  target: 'workload',
  check: (workload) => checkPodSecurity(workload, 'privileged').map((v) => fromPss(v)),
});
