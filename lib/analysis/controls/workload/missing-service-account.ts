import { absence, defineControl } from '@/lib/analysis/model/control';
import { describeRef, refOf } from '@/lib/analysis/model/kube';
import { WORKLOAD_KINDS } from './shared';

export const missingServiceAccount = defineControl({
  id: 'workload.missing-service-account',
  version: 1,
  title: 'Workloads name ServiceAccounts that exist',
  description: 'Reports workloads whose serviceAccountName does not exist in their namespace.',
  rationale: 'Pods of the workload cannot start until the ServiceAccount exists, and whoever creates it first, with whatever bindings, decides what they can do.',
  remediation: 'Create the ServiceAccount with the workload (same manifest or chart), or correct serviceAccountName.',
  severity: 'medium',
  kinds: WORKLOAD_KINDS,
  mappings: { cis: [], iso27001: ['A.5.16'], nsa: ['pod-service-account-tokens'] },
  requires: ['pods', 'serviceaccounts'],
  target: 'workload',
  check: (workload, ctx) => {
    const name = workload.spec.serviceAccountName;
    // `default` is created in every namespace by the controller manager.
    if (!name || name === 'default' || ctx.findServiceAccount(workload.namespace, name)) return [];
    return [
      absence(
        `${describeRef(refOf(workload.object))} runs as ServiceAccount ${workload.namespace}/${name}, which does not exist`,
        `ServiceAccount ${workload.namespace}/${name}`,
        `serviceAccount:${name}`,
        { kind: 'ServiceAccount', namespace: workload.namespace, name },
      ),
    ];
  },
});
