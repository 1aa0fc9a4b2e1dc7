import { defineControl, violation } from '@/lib/analysis/model/control';
import { describeRef, refOf } from '@/lib/analysis/model/kube';
import { WORKLOAD_KINDS, WORKLOAD_REQUIRES } from './shared';

export const defaultServiceAccount = defineControl({
  id: 'workload.default-service-account',
  version: 1,
  title: 'Workloads do not run as the default ServiceAccount',
  description: 'Reports pods and pod templates that name no ServiceAccount, or name `default`.',
  rationale: 'Every pod of a namespace that names none shares `default`: a permission granted to it for one application silently applies to all of them, and audit logs cannot tell them apart.',
  remediation: ['Create a ServiceAccount per application and name it:', '', '```yaml', 'spec:', '  serviceAccountName: billing-api', '  automountServiceAccountToken: false  # unless it calls the API', '```'].join('\n'),
  severity: 'low',
  kinds: WORKLOAD_KINDS,
  mappings: { cis: ['5.1.5'], iso27001: ['A.5.16', 'A.5.15'], nsa: ['pod-service-account-tokens'] },
  requires: WORKLOAD_REQUIRES,
  target: 'workload',
  check: (workload) => {
    const name = workload.spec.serviceAccountName;
    if (name && name !== 'default') return [];
    return [
      violation(
        `${describeRef(refOf(workload.object))} runs as the default ServiceAccount of namespace ${workload.namespace}`,
        workload.path('serviceAccountName'),
        name ?? null,
        'serviceAccountName',
      ),
    ];
  },
});
