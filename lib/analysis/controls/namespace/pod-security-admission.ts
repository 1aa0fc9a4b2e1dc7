import { defineControl, violation } from '@/lib/analysis/model/control';

const ENFORCE = 'pod-security.kubernetes.io/enforce';

export const podSecurityAdmission = defineControl({
  id: 'namespace.pod-security-admission',
  version: 1,
  title: 'Namespaces enforce a Pod Security Standard',
  description: `Reports namespaces without the ${ENFORCE} label, or with it set to privileged.`,
  rationale: 'Pod Security Admission is the built-in guard that refuses privileged, host-namespace and root pods at creation. Without an enforce level on the namespace it checks nothing there.',
  remediation: [
    'Label the namespace (start with warn/audit to see what would break):',
    '',
    '```yaml',
    'metadata:',
    '  labels:',
    `    ${ENFORCE}: restricted   # or baseline`,
    '    pod-security.kubernetes.io/enforce-version: latest',
    '```',
    '',
    'If another admission controller (Kyverno, Gatekeeper) enforces the same, accept the risk with that as the reason.',
  ].join('\n'),
  severity: 'medium',
  kinds: ['Namespace'],
  mappings: { cis: ['5.2.1'], iso27001: ['A.8.9', 'A.8.19', 'A.8.27'], nsa: ['pod-security-enforcement'] },
  requires: ['namespaces'],
  target: 'namespace',
  check: (namespace) => {
    // A namespace we only know from its workloads: its labels were not in the input, so there is nothing to judge.
    if (!namespace.object) return [];
    const level = namespace.labels[ENFORCE];
    if (level === 'baseline' || level === 'restricted') return [];
    return [
      violation(
        level === undefined
          ? `namespace ${namespace.name} does not enforce a Pod Security Standard (no ${ENFORCE} label)`
          : `namespace ${namespace.name} enforces the privileged Pod Security level, which allows everything`,
        `metadata.labels["${ENFORCE}"]`,
        level ?? null,
        'psa-enforce',
      ),
    ];
  },
});
