import { z } from 'zod';
import { REDACTED_MARKER_PREFIX } from '@/lib/analysis/snapshot/redact';

// Evidence is stored as JSON written by the engine (lib/analysis/model/evidence.ts). It is parsed again here rather than
// trusted, so an unexpected shape is shown as data instead of breaking the page.
const RedactedSchema = z.object({ redacted: z.literal(true), length: z.number().optional(), sha256Prefix: z.string().optional(), reason: z.string().optional() });
const PathSchema = z.object({ type: z.literal('path'), path: z.string(), value: z.unknown(), object: z.object({ kind: z.string(), name: z.string() }).optional() });
const RbacSchema = z.object({
  type: z.literal('rbac'),
  subject: z.object({ kind: z.string(), name: z.string(), namespace: z.string().nullable().optional() }),
  binding: z.object({ kind: z.string(), namespace: z.string().nullable().optional(), name: z.string() }),
  role: z.object({ kind: z.string(), name: z.string() }),
  rule: z.object({
    apiGroups: z.array(z.string()).default([]), resources: z.array(z.string()).default([]), verbs: z.array(z.string()).default([]),
    resourceNames: z.array(z.string()).optional(), nonResourceURLs: z.array(z.string()).optional(),
  }),
  viaAggregation: z.array(z.string()).optional(),
});
const AbsenceSchema = z.object({ type: z.literal('absence'), expected: z.string(), searched: z.object({ kind: z.string(), namespace: z.string().nullable().optional(), name: z.string() }).optional() });
const ExpressionSchema = z.object({ type: z.literal('expression'), controlVersion: z.number(), validation: z.number(), expression: z.string() });
const ImportedSchema = z.object({
  type: z.literal('imported'), source: z.string(), policy: z.string(), rule: z.string().nullable(), result: z.enum(['fail', 'warn']),
  category: z.string().nullable(), severitySource: z.enum(['result', 'policy', 'default']),
  report: z.object({ kind: z.string(), namespace: z.string().nullable(), name: z.string() }),
});
const AdmissionPolicySchema = z.object({
  type: z.literal('admission-policy'), policy: z.string(), binding: z.string(), validationActions: z.array(z.string()), failurePolicy: z.string(),
  validation: z.number(), expression: z.string(),
});
const EvidenceSchema = z.discriminatedUnion('type', [PathSchema, RbacSchema, AbsenceSchema, ExpressionSchema, ImportedSchema, AdmissionPolicySchema]);
const SEVERITY_SOURCE = { result: 'the result', policy: "the policy's policies.kyverno.io/severity annotation", default: 'none given (medium)' } as const;
/** The value namespace.pod-security-level-violated puts on the enforce label: the level, and the workloads breaking it. */
const PodSecurityLevelSchema = z.object({
  enforce: z.string(),
  enforceVersion: z.string(),
  audit: z.string().optional(),
  warn: z.string().optional(),
  violatingWorkloads: z.number(),
  workloads: z.array(z.object({
    workload: z.string(),
    fields: z.array(z.object({ path: z.string(), level: z.string(), message: z.string() })),
    moreFields: z.number().optional(),
  })),
  notListed: z.number().optional(),
});

type Redaction = { length?: number; sha256Prefix?: string; kept?: string };

/** A credential the agent replaced before the snapshot left the cluster: an object, or a marker inside a string. */
function redactionOf(value: unknown): Redaction | null {
  const object = RedactedSchema.safeParse(value);
  if (object.success) return { length: object.data.length, sha256Prefix: object.data.sha256Prefix };
  if (typeof value === 'string') {
    const at = value.indexOf(REDACTED_MARKER_PREFIX);
    if (at === -1) return null;
    // bulwark-redacted:<reason>:<sha256 prefix>:<length>, possibly after a kept "--flag=" part
    const [, prefix, length] = value.slice(at + REDACTED_MARKER_PREFIX.length).split(':');
    return { kept: value.slice(0, at) || undefined, sha256Prefix: prefix || undefined, length: length && /^\d+$/.test(length) ? Number(length) : undefined };
  }
  return null;
}

export function describeRedaction(redaction: Redaction): string {
  const details = [
    redaction.length !== undefined ? `${redaction.length} characters` : null,
    redaction.sha256Prefix ? `sha256 prefix ${redaction.sha256Prefix}…` : null,
  ].filter(Boolean);
  return `credential redacted by the agent${details.length ? ` (${details.join(', ')})` : ''}`;
}

/** JSON for display, with every redacted value (at any depth) replaced by its description. */
function displayJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    const redaction = redactionOf(item);
    return redaction ? `[${redaction.kept ?? ''}${describeRedaction(redaction)}]` : item;
  }, 2) ?? String(value);
}

function Value({ value }: { value: unknown }) {
  const redaction = redactionOf(value);
  if (redaction) {
    return (
      <p className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
        {redaction.kept && <code className="mr-1">{redaction.kept}</code>}
        {describeRedaction(redaction)}
      </p>
    );
  }
  return <pre className="overflow-x-auto whitespace-pre-wrap break-all rounded-md bg-slate-900 px-3 py-2 text-xs text-slate-100">{displayJson(value)}</pre>;
}

/** A path evidence's value: the Pod Security level summary when it is one, the JSON otherwise. */
function PathValue({ value }: { value: unknown }) {
  const podSecurity = PodSecurityLevelSchema.safeParse(value);
  return podSecurity.success ? <PodSecurityLevel value={podSecurity.data} /> : <Value value={value} />;
}

const ns = (namespace: string | null | undefined, name: string) => (namespace ? `${namespace}/${name}` : name);

function ChainStep({ heading, children }: { heading: string; children: React.ReactNode }) {
  return (
    <li className="min-w-0 flex-1 rounded-lg border border-slate-200 bg-slate-50 px-3 py-2 max-2xl:flex max-2xl:gap-3">
      <p className="text-xs font-semibold uppercase tracking-wide text-slate-500 max-2xl:w-16 max-2xl:shrink-0 max-2xl:pt-0.5">{heading}</p>
      <div className="min-w-0 text-sm [overflow-wrap:anywhere] 2xl:mt-1">{children}</div>
    </li>
  );
}

function Arrow() {
  return <li aria-hidden="true" className="self-center leading-none text-slate-400 max-2xl:rotate-90">→</li>;
}

function RbacChain({ evidence }: { evidence: z.infer<typeof RbacSchema> }) {
  const { subject, binding, role, rule } = evidence;
  return (
    <div className="space-y-3">
      <ol aria-label="How the permission is granted" className="flex flex-col gap-1.5 2xl:flex-row 2xl:items-stretch 2xl:gap-2">
        <ChainStep heading="Subject"><span className="text-slate-500">{subject.kind}</span> <strong>{ns(subject.namespace, subject.name)}</strong></ChainStep>
        <Arrow />
        <ChainStep heading="Binding"><span className="text-slate-500">{binding.kind}</span> <strong>{ns(binding.namespace, binding.name)}</strong></ChainStep>
        <Arrow />
        <ChainStep heading="Role"><span className="text-slate-500">{role.kind}</span> <strong>{role.name}</strong></ChainStep>
        <Arrow />
        <ChainStep heading="Rule">
          <span className="block"><span className="text-slate-500">verbs </span><code>{rule.verbs.join(', ') || '–'}</code></span>
          {rule.resources.length > 0 && <span className="block"><span className="text-slate-500">resources </span><code>{rule.resources.join(', ')}</code></span>}
          {rule.apiGroups.length > 0 && <span className="block"><span className="text-slate-500">apiGroups </span><code>{rule.apiGroups.map((g) => (g === '' ? '"" (core)' : g)).join(', ')}</code></span>}
          {rule.resourceNames && rule.resourceNames.length > 0 && <span className="block"><span className="text-slate-500">resourceNames </span><code>{rule.resourceNames.join(', ')}</code></span>}
          {rule.nonResourceURLs && rule.nonResourceURLs.length > 0 && <span className="block"><span className="text-slate-500">nonResourceURLs </span><code>{rule.nonResourceURLs.join(', ')}</code></span>}
        </ChainStep>
      </ol>
      {evidence.viaAggregation && evidence.viaAggregation.length > 0 && (
        <p className="text-sm text-slate-700">
          The rule reaches <strong>{role.name}</strong> through aggregation, from the ClusterRole{evidence.viaAggregation.length === 1 ? '' : 's'}{' '}
          {evidence.viaAggregation.map((name, index) => <span key={name}>{index > 0 && ', '}<code>{name}</code></span>)}: changing {role.name} alone does not remove it.
        </p>
      )}
    </div>
  );
}

function PodSecurityLevel({ value }: { value: z.infer<typeof PodSecurityLevelSchema> }) {
  const modes = [['enforces', value.enforce], ['audit', value.audit], ['warn', value.warn]] as const;
  return (
    <div className="space-y-3" data-testid="pod-security-level">
      <dl className="flex flex-wrap gap-x-4 gap-y-1">
        {modes.map(([mode, level]) => level && (
          <div key={mode} className="flex gap-1"><dt className="text-slate-500">{mode === 'enforces' ? 'Enforces' : mode === 'audit' ? 'Audit' : 'Warn'}</dt>{' '}<dd><strong>{level}</strong>{mode === 'enforces' && <span className="text-slate-500"> at {value.enforceVersion}</span>}</dd></div>
        ))}
      </dl>
      <p>
        {value.violatingWorkloads} workload{value.violatingWorkloads === 1 ? '' : 's'} already running here would be refused by this level (admission checks pods only when they are
        created):
      </p>
      <ul className="space-y-2">
        {value.workloads.map((workload) => (
          <li key={workload.workload} className="rounded-lg border border-slate-200 bg-slate-50 px-3 py-2">
            <p className="font-medium [overflow-wrap:anywhere]">{workload.workload}</p>
            <ul className="mt-1 space-y-1">
              {workload.fields.map((field) => (
                <li key={field.path + field.message} className="[overflow-wrap:anywhere]">
                  <code className="rounded bg-white px-1 py-0.5 text-xs break-all">{field.path}</code>{' '}
                  <span className="rounded bg-slate-200 px-1.5 py-0.5 text-xs text-slate-700">{field.level}</span>{' '}
                  {field.message}
                </li>
              ))}
              {workload.moreFields !== undefined && <li className="text-slate-500">and {workload.moreFields} more field{workload.moreFields === 1 ? '' : 's'}</li>}
            </ul>
          </li>
        ))}
      </ul>
      {value.notListed !== undefined && <p className="text-slate-500">and {value.notListed} more workload{value.notListed === 1 ? '' : 's'}, not listed.</p>}
    </div>
  );
}

/** The evidence of a finding, drawn by its type: a field and its value, an RBAC chain, or what is missing. */
export function Evidence({ evidence }: { evidence: unknown }) {
  const parsed = EvidenceSchema.safeParse(evidence);
  if (!parsed.success) return <Value value={evidence} />;
  const data = parsed.data;
  switch (data.type) {
    case 'path':
      return (
        <div className="space-y-2 text-sm">
          <p>
            <span className="text-slate-500">Field </span><code className="rounded bg-slate-100 px-1 py-0.5 break-all">{data.path}</code>
            {data.object && <> <span className="text-slate-500">on {data.object.kind}</span> <strong>{data.object.name}</strong></>}
          </p>
          <PathValue value={data.value} />
        </div>
      );
    case 'rbac':
      return <RbacChain evidence={data} />;
    case 'absence':
      return (
        <div className="space-y-1 text-sm">
          <p><span className="text-slate-500">Expected: </span>{data.expected}</p>
          {data.searched && <p><span className="text-slate-500">Looked for </span>{data.searched.kind} <code>{ns(data.searched.namespace, data.searched.name)}</code>, which does not exist.</p>}
        </div>
      );
    case 'expression':
      return (
        <div className="space-y-1 text-sm">
          <p><span className="text-slate-500">Validation {data.validation} of the organization&apos;s control (version {data.controlVersion}) returned false:</span></p>
          <pre className="overflow-x-auto rounded bg-slate-100 p-2 text-xs whitespace-pre-wrap break-all">{data.expression}</pre>
        </div>
      );
    case 'admission-policy':
      return (
        <div className="space-y-1 text-sm [overflow-wrap:anywhere]" data-testid="admission-policy-evidence">
          <p>
            <span className="text-slate-500">The cluster&apos;s ValidatingAdmissionPolicy </span><code>{data.policy}</code>
            <span className="text-slate-500">, binding </span><code>{data.binding}</code>
            <span className="text-slate-500"> (actions {data.validationActions.join(', ') || 'none'}, failurePolicy {data.failurePolicy}): validation {data.validation} returned false:</span>
          </p>
          <pre className="overflow-x-auto rounded bg-slate-100 p-2 text-xs whitespace-pre-wrap break-all">{data.expression}</pre>
        </div>
      );
    case 'imported':
      return (
        <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm [overflow-wrap:anywhere]" data-testid="imported-evidence">
          <dt className="text-slate-500">Reported by</dt><dd>{data.source}, in {data.report.kind} <code>{ns(data.report.namespace, data.report.name)}</code></dd>
          <dt className="text-slate-500">Policy</dt><dd><code>{data.policy}</code>{data.rule && <>, rule <code>{data.rule}</code></>}</dd>
          <dt className="text-slate-500">Result</dt><dd>{data.result === 'warn' ? 'warn (a failure the policy does not score; shown one severity lower)' : 'fail'}</dd>
          {data.category && <><dt className="text-slate-500">Category</dt><dd>{data.category}</dd></>}
          <dt className="text-slate-500">Severity from</dt><dd>{SEVERITY_SOURCE[data.severitySource]}</dd>
        </dl>
      );
  }
}
