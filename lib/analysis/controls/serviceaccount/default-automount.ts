import { defineControl, violation } from '@/lib/analysis/model/control';

export const defaultServiceAccountAutomount = defineControl({
  id: 'serviceaccount.default-automount',
  version: 1,
  title: 'The default ServiceAccount does not mount tokens',
  description: 'Reports `default` ServiceAccounts whose automountServiceAccountToken is not false.',
  rationale: 'Every pod that names no ServiceAccount runs as `default`. Turning its token off by default means a pod gets API credentials only when it asks for a ServiceAccount that needs them.',
  remediation: ['```yaml', 'apiVersion: v1', 'kind: ServiceAccount', 'metadata: { name: default, namespace: team-a }', 'automountServiceAccountToken: false', '```'].join('\n'),
  severity: 'low',
  kinds: ['ServiceAccount'],
  mappings: { cis: ['5.1.5'], iso27001: ['A.5.16', 'A.5.17'], nsa: ['pod-service-account-tokens'] },
  requires: ['serviceaccounts'],
  target: 'serviceAccount',
  check: (account) =>
    account.metadata.name === 'default' && account.automountServiceAccountToken !== false
      ? [violation(`the default ServiceAccount of namespace ${account.metadata.namespace ?? 'default'} mounts its token into every pod that names no ServiceAccount`, 'automountServiceAccountToken', typeof account.automountServiceAccountToken === 'boolean' ? account.automountServiceAccountToken : null, 'automount')]
      : [],
});
