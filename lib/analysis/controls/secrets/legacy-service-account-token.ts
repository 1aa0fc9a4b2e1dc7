import { defineControl, violation } from '@/lib/analysis/model/control';

export const legacyServiceAccountToken = defineControl({
  id: 'secrets.legacy-service-account-token',
  version: 1,
  title: 'No long-lived ServiceAccount token Secrets',
  description: 'Reports Secrets of type kubernetes.io/service-account-token.',
  rationale: 'These tokens never expire and are not bound to a pod: anyone who ever read the Secret keeps API access as the ServiceAccount until the Secret is deleted. Projected tokens expire and die with their pod.',
  remediation: 'Delete the Secret and let pods use projected tokens; for an external system, issue a short-lived token with `kubectl create token <sa> --duration=…` or use workload identity federation.',
  severity: 'medium',
  kinds: ['Secret'],
  mappings: { cis: [], iso27001: ['A.5.17', 'A.8.5'], nsa: ['pod-service-account-tokens'] },
  requires: ['secrets'],
  target: 'secret',
  check: (secret) => {
    if (secret.type !== 'kubernetes.io/service-account-token') return [];
    const account = secret.metadata.annotations?.['kubernetes.io/service-account.name'];
    return [
      violation(
        `Secret ${secret.metadata.name} is a long-lived token${account ? ` for ServiceAccount ${account}` : ''} that never expires`,
        'type',
        secret.type,
        'type',
      ),
    ];
  },
});
