import { defineControl, violation } from '@/lib/analysis/model/control';
import { describeRef, refOf } from '@/lib/analysis/model/kube';
import { WORKLOAD_KINDS } from './shared';

export const serviceAccountTokenAutomount = defineControl({
  id: 'workload.service-account-token-automount',
  version: 1,
  title: 'ServiceAccount tokens are mounted only where needed',
  description:
    'Reports workloads that get a ServiceAccount token mounted: automountServiceAccountToken is not false on the pod, nor (when the pod does not set it) on its ServiceAccount.',
  rationale: 'A mounted token is a credential for the API server in every container of the pod. Most applications never call the API; for them the token only helps an intruder move on.',
  remediation: ['Turn it off where the application does not call the Kubernetes API (the pod setting wins over the ServiceAccount\'s):', '', '```yaml', 'spec:', '  automountServiceAccountToken: false', '```'].join('\n'),
  severity: 'low',
  kinds: WORKLOAD_KINDS,
  mappings: { cis: ['5.1.6'], iso27001: ['A.5.17', 'A.8.5'], nsa: ['pod-service-account-tokens'] },
  requires: ['pods', 'serviceaccounts'],
  target: 'workload',
  check: (workload, ctx) => {
    const podSetting = workload.spec.automountServiceAccountToken;
    if (podSetting === false) return [];
    const saName = workload.spec.serviceAccountName ?? 'default';
    const sa = ctx.findServiceAccount(workload.namespace, saName);
    if (podSetting === undefined && sa?.automountServiceAccountToken === false) return [];
    const who = describeRef(refOf(workload.object));
    const message =
      podSetting === true
        ? `${who} sets automountServiceAccountToken: true, mounting the token of ServiceAccount ${saName}`
        : `${who} gets the token of ServiceAccount ${saName} mounted (automountServiceAccountToken is not false on the pod or the ServiceAccount)`;
    return [violation(message, workload.path('automountServiceAccountToken'), podSetting ?? null, 'automountServiceAccountToken')];
  },
});
