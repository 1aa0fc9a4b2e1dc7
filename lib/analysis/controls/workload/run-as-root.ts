import { defineControl, type Violation } from '@/lib/analysis/model/control';
import { effectiveRunAsNonRoot, effectiveRunAsUser } from '@/lib/analysis/model/security-context';
import { containerItem } from '@/lib/analysis/model/workload-types';
import { describeContainer, WORKLOAD_KINDS, WORKLOAD_REQUIRES } from './shared';

export const runAsRoot = defineControl({
  id: 'workload.run-as-root',
  version: 1,
  title: 'Containers do not run as root',
  description:
    'Reports containers that run as UID 0, or that neither set runAsNonRoot: true nor a non-zero runAsUser (container level first, then pod level, as Kubernetes applies them).',
  rationale:
    'Root in a container is root on the node\'s kernel: any escape (a kernel bug, a writable hostPath, a mis-set capability) lands as root. Without runAsNonRoot the image decides, and most images default to root.',
  remediation: [
    'Run as a non-root user at the pod level and let containers inherit it:',
    '',
    '```yaml',
    'spec:',
    '  securityContext:',
    '    runAsNonRoot: true',
    '    runAsUser: 10001',
    '```',
  ].join('\n'),
  severity: 'medium',
  kinds: WORKLOAD_KINDS,
  mappings: { cis: ['5.2.7'], iso27001: ['A.8.2', 'A.8.9'], nsa: ['pod-non-root'], pss: 'restricted' },
  requires: WORKLOAD_REQUIRES,
  target: 'workload',
  check: (workload) => {
    const violations: Violation[] = [];
    for (const c of workload.containers) {
      const user = effectiveRunAsUser(workload, c);
      const nonRoot = effectiveRunAsNonRoot(workload, c);
      const item = containerItem(c, 'runAsNonRoot');
      const on = c.pod ? { object: { kind: 'Pod', name: c.pod } } : {};
      if (user.value === 0) {
        violations.push({ message: `${describeContainer(c)} runs as UID 0 (root)`, evidence: { type: 'path', path: user.path, value: 0, ...on }, item });
      } else if (user.value === undefined && nonRoot.value !== true) {
        violations.push({
          message:
            nonRoot.value === false
              ? `${describeContainer(c)} sets runAsNonRoot: false and no runAsUser, so it may run as root`
              : `${describeContainer(c)} sets neither runAsNonRoot: true nor a non-zero runAsUser, so the image decides and may run as root`,
          evidence: { type: 'path', path: nonRoot.path, value: nonRoot.value ?? null, ...on },
          item,
        });
      }
    }
    return violations;
  },
});
