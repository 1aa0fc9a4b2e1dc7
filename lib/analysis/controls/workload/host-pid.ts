import { defineControl, violation } from '@/lib/analysis/model/control';
import { describeRef, refOf } from '@/lib/analysis/model/kube';
import { WORKLOAD_KINDS, WORKLOAD_REQUIRES } from './shared';

export const hostPid = defineControl({
  id: 'workload.host-pid',
  version: 1,
  title: 'Host PID namespace is not shared',
  description: 'Reports pods and pod templates with hostPID: true.',
  rationale: 'A container in the host PID namespace can see every process on the node, read their environment through /proc and, with ptrace, attach to them.',
  remediation: 'Remove hostPID from the pod spec (it defaults to false). Node agents that truly need it belong in a platform namespace with its own admission exception.',
  severity: 'high',
  kinds: WORKLOAD_KINDS,
  mappings: { cis: ['5.2.3'], iso27001: ['A.8.9', 'A.8.3', 'A.8.27'], nsa: ['pod-security-context'], pss: 'baseline' },
  requires: WORKLOAD_REQUIRES,
  target: 'workload',
  check: (workload) =>
    workload.spec.hostPID
      ? [violation(`${describeRef(refOf(workload.object))} shares the node's process namespace: it sees and can signal every process on the node`, workload.path('hostPID'), true, 'hostPID')]
      : [],
});
