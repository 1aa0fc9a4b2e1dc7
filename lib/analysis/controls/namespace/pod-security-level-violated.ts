import { defineControl, violation } from '@/lib/analysis/model/control';
import type { JsonValue } from '@/lib/analysis/model/json';
import { describeRef, refOf } from '@/lib/analysis/model/kube';
import { evaluatePodSecurity, minorOfVersion, type PssLevel } from '@/lib/analysis/model/pod-security';

const PREFIX = 'pod-security.kubernetes.io/';
const ENFORCE = `${PREFIX}enforce`;

/** Evidence stays readable and bounded in a namespace with thousands of workloads; the counts stay exact. */
const MAX_WORKLOADS = 25;
const MAX_FIELDS = 8;

export const podSecurityLevelViolated = defineControl({
  id: 'namespace.pod-security-level-violated',
  version: 1,
  title: 'Workloads already running meet the Pod Security level their namespace enforces',
  description: `For each namespace with a ${ENFORCE} label of baseline or restricted, reports the workloads running there that break that level (at the label's ${ENFORCE}-version), with the fields that break it.`,
  rationale:
    'Pod Security Admission checks pods when they are created. Labelling a namespace after its workloads exist does not stop them: the API server only warns, and the pods keep running, and come back on every restart, until their spec changes. The label then promises more than the namespace delivers.',
  remediation: [
    'Fix each listed workload (the evidence names the fields), or lower the enforce level to what the namespace really runs and keep the stricter level as warn/audit until the workloads meet it:',
    '',
    '```yaml',
    'metadata:',
    '  labels:',
    `    ${ENFORCE}: baseline`,
    `    ${PREFIX}warn: restricted`,
    `    ${PREFIX}audit: restricted`,
    '```',
    '',
    'A dry run shows what the API server would refuse: `kubectl label --dry-run=server --overwrite ns <name> ' + ENFORCE + '=restricted`.',
  ].join('\n'),
  severity: 'high',
  kinds: ['Namespace'],
  mappings: { cis: ['5.2.1'], iso27001: ['A.8.9', 'A.8.19', 'A.8.27'], nsa: ['pod-security-enforcement'] },
  requires: ['namespaces', 'pods'],
  target: 'namespace',
  check: (namespace, ctx) => {
    // Without the Namespace object its labels are unknown: nothing is enforced that we could compare against.
    if (!namespace.object) return [];
    const level = namespace.labels[ENFORCE];
    if (level !== 'baseline' && level !== 'restricted') return [];
    const version = namespace.labels[`${ENFORCE}-version`];
    const minor = minorOfVersion(version);
    const violating: { name: string; fields: JsonValue[]; total: number }[] = [];
    let count = 0;
    let breaksBaseline = false;
    for (const workload of ctx.workloadsIn(namespace.name)) {
      const found = evaluatePodSecurity(workload, level as PssLevel, { minor });
      if (found.length === 0) continue;
      count += 1;
      if (found.some((v) => v.level === 'baseline')) breaksBaseline = true;
      if (violating.length >= MAX_WORKLOADS) continue;
      violating.push({
        name: describeRef(refOf(workload.object)),
        total: found.length,
        // A field on a Pod below the workload (an ephemeral container) is named with its Pod by the message.
        fields: found.slice(0, MAX_FIELDS).map((v) => ({ path: v.path, level: v.level, message: v.message })),
      });
    }
    if (count === 0) return [];
    const modes = ['audit', 'warn']
      .map((mode) => [mode, namespace.labels[`${PREFIX}${mode}`]] as const)
      .filter((entry): entry is readonly [string, string] => entry[1] !== undefined);
    const evidence: { [key: string]: JsonValue } = {
      enforce: level,
      enforceVersion: version ?? 'latest',
      ...Object.fromEntries(modes),
      violatingWorkloads: count,
      workloads: violating.map((w) => ({
        workload: w.name,
        fields: w.fields,
        ...(w.total > w.fields.length ? { moreFields: w.total - w.fields.length } : {}),
      })),
      ...(count > violating.length ? { notListed: count - violating.length } : {}),
    };
    const also = modes.length > 0 ? ` (${modes.map(([mode, value]) => `${mode}: ${value}`).join(', ')})` : '';
    return [
      {
        ...violation(
          `namespace ${namespace.name} enforces ${level}${version && version !== 'latest' ? ` at ${version}` : ''}${also}; ${count} workload${count === 1 ? '' : 's'} running there violate${count === 1 ? 's' : ''} it: ${violating
            .slice(0, 3)
            .map((w) => w.name)
            .join(', ')}${count > 3 ? ', …' : ''}`,
          `metadata.labels["${ENFORCE}"]`,
          evidence,
          'psa-enforce-violated',
        ),
        // Running workloads that break only restricted's hardening rows are less urgent than ones breaking baseline.
        ...(breaksBaseline ? {} : { severity: 'medium' as const }),
      },
    ];
  },
});
