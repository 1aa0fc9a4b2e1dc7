import { containerViolation, defineControl } from '@/lib/analysis/model/control';
import { describeContainer, WORKLOAD_KINDS, WORKLOAD_REQUIRES } from './shared';

export const allowPrivilegeEscalation = defineControl({
  id: 'workload.allow-privilege-escalation',
  version: 1,
  title: 'Containers cannot gain more privileges than their parent process',
  description: 'Reports containers whose securityContext.allowPrivilegeEscalation is not false.',
  rationale:
    'Unless allowPrivilegeEscalation is false, the no_new_privs flag stays off and a setuid binary in the image (or one the attacker writes) runs with more privileges than the process that started it. It defaults to true.',
  remediation: ['Set it explicitly on every container:', '', '```yaml', 'securityContext:', '  allowPrivilegeEscalation: false', '```'].join('\n'),
  severity: 'medium',
  kinds: WORKLOAD_KINDS,
  mappings: { cis: ['5.2.6'], iso27001: ['A.8.2', 'A.8.9'], nsa: ['pod-security-context'], pss: 'restricted' },
  requires: WORKLOAD_REQUIRES,
  target: 'workload',
  check: (workload) =>
    workload.containers
      .filter((c) => c.securityContext?.allowPrivilegeEscalation !== false)
      .map((c) => {
        const value = c.securityContext?.allowPrivilegeEscalation;
        return containerViolation(
          c,
          'securityContext.allowPrivilegeEscalation',
          value === true
            ? `${describeContainer(c)} sets allowPrivilegeEscalation: true`
            : `${describeContainer(c)} does not set allowPrivilegeEscalation: false (it defaults to true)`,
          value ?? null,
        );
      }),
});
