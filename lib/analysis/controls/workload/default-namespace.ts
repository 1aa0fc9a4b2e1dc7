import { defineControl, violation } from '@/lib/analysis/model/control';
import { describeRef, refOf } from '@/lib/analysis/model/kube';
import { WORKLOAD_KINDS, WORKLOAD_REQUIRES } from './shared';

export const defaultNamespace = defineControl({
  id: 'workload.default-namespace',
  version: 1,
  title: 'Workloads do not run in the default namespace',
  description: 'Reports workloads in the `default` namespace, including manifests with no namespace (they land in `default` unless applied with -n).',
  rationale: 'Namespaces are where RBAC, NetworkPolicy, quotas and Pod Security levels attach. Everything in `default` shares one set of them, usually the loosest, and nobody owns it.',
  remediation: 'Create a namespace per application or team and move the workload there (`metadata.namespace: billing`).',
  severity: 'low',
  kinds: WORKLOAD_KINDS,
  mappings: { cis: ['5.7.4'], iso27001: ['A.8.9', 'A.5.9'], nsa: ['namespaces'] },
  requires: WORKLOAD_REQUIRES,
  target: 'workload',
  check: (workload) => {
    if (workload.namespace !== 'default') return [];
    const declared = workload.object.metadata.namespace;
    return [
      violation(
        declared
          ? `${describeRef(refOf(workload.object))} runs in the default namespace`
          : `${describeRef(refOf(workload.object))} has no namespace, so it lands in default unless applied with -n`,
        'metadata.namespace',
        declared ?? null,
        'namespace',
      ),
    ];
  },
});
