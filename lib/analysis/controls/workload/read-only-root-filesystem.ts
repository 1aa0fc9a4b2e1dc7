import { containerViolation, defineControl } from '@/lib/analysis/model/control';
import { describeContainer, WORKLOAD_KINDS, WORKLOAD_REQUIRES } from './shared';

export const readOnlyRootFilesystem = defineControl({
  id: 'workload.read-only-root-filesystem',
  version: 1,
  title: 'Containers have a read-only root file system',
  description: 'Reports containers whose securityContext.readOnlyRootFilesystem is not true.',
  rationale: 'A writable root file system lets an intruder drop tools and change binaries or configuration of the running container; read-only keeps the image immutable and makes tampering visible.',
  remediation: [
    'Make the root file system read-only and give the application an emptyDir for the paths it writes:',
    '',
    '```yaml',
    'securityContext:',
    '  readOnlyRootFilesystem: true',
    'volumeMounts: [{ name: tmp, mountPath: /tmp }]',
    '# volumes: [{ name: tmp, emptyDir: {} }]',
    '```',
  ].join('\n'),
  severity: 'low',
  kinds: WORKLOAD_KINDS,
  mappings: { cis: ['5.7.3'], iso27001: ['A.8.9', 'A.8.27'], nsa: ['pod-immutable-filesystem'] },
  requires: WORKLOAD_REQUIRES,
  target: 'workload',
  check: (workload) =>
    workload.containers
      .filter((c) => c.securityContext?.readOnlyRootFilesystem !== true)
      .map((c) =>
        containerViolation(
          c,
          'securityContext.readOnlyRootFilesystem',
          `${describeContainer(c)} has a writable root file system`,
          c.securityContext?.readOnlyRootFilesystem ?? null,
        ),
      ),
});
