import { defineControl, violation } from '@/lib/analysis/model/control';
import { describeRef, refOf } from '@/lib/analysis/model/kube';
import { WORKLOAD_KINDS, WORKLOAD_REQUIRES } from './shared';

export const hostNetwork = defineControl({
  id: 'workload.host-network',
  version: 1,
  title: 'Host network namespace is not shared',
  description: 'Reports pods and pod templates with hostNetwork: true.',
  rationale: 'A pod on the host network bypasses NetworkPolicy, can bind any port of the node and reach services listening on its loopback interface (the kubelet, the cloud metadata endpoint).',
  remediation: 'Remove hostNetwork from the pod spec (it defaults to false). Node agents that truly need it belong in a platform namespace with its own admission exception.',
  severity: 'high',
  kinds: WORKLOAD_KINDS,
  mappings: { cis: ['5.2.5'], iso27001: ['A.8.9', 'A.8.20', 'A.8.22'], nsa: ['pod-security-context'], pss: 'baseline' },
  requires: WORKLOAD_REQUIRES,
  target: 'workload',
  check: (workload) =>
    workload.spec.hostNetwork
      ? [violation(`${describeRef(refOf(workload.object))} uses the node's network namespace: it bypasses NetworkPolicy and can sniff and bind node traffic`, workload.path('hostNetwork'), true, 'hostNetwork')]
      : [],
});
