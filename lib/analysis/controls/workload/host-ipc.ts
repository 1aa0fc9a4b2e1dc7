import { defineControl, violation } from '@/lib/analysis/model/control';
import { describeRef, refOf } from '@/lib/analysis/model/kube';
import { WORKLOAD_KINDS, WORKLOAD_REQUIRES } from './shared';

export const hostIpc = defineControl({
  id: 'workload.host-ipc',
  version: 1,
  title: 'Host IPC namespace is not shared',
  description: 'Reports pods and pod templates with hostIPC: true.',
  rationale: 'A container in the host IPC namespace can read and write the shared memory segments and message queues of every process on the node.',
  remediation: 'Remove hostIPC from the pod spec (it defaults to false). Node agents that truly need it belong in a platform namespace with its own admission exception.',
  severity: 'high',
  kinds: WORKLOAD_KINDS,
  mappings: { cis: ['5.2.4'], iso27001: ['A.8.9', 'A.8.3', 'A.8.27'], nsa: ['pod-security-context'], pss: 'baseline' },
  requires: WORKLOAD_REQUIRES,
  target: 'workload',
  check: (workload) =>
    workload.spec.hostIPC
      ? [violation(`${describeRef(refOf(workload.object))} shares the node's IPC namespace: it can read and write shared memory of every process on the node`, workload.path('hostIPC'), true, 'hostIPC')]
      : [],
});
