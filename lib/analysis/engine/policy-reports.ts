import type { ImportedEvidence, Severity } from '@/lib/analysis/model/evidence';
import { isClusterScoped, PLATFORM_NAMESPACES, type ResourceRef } from '@/lib/analysis/model/kube';
import {
  importedControlId, importedMessage, isNamedRef, PolicyReportResultSchema, PolicyReportSchema, severityFromReport, sourceKey, sourceLabel,
  type NamedObjectRef, type PolicyReport, type PolicyResult,
} from '@/lib/analysis/model/policy-report';
import type { Snapshot } from '@/lib/analysis/snapshot/schema';
import { fingerprintOf } from './fingerprint';
import type { ControlOutcome, EngineFinding, ParseError } from './types';

/** What one engine's results on one policy came to: one count per result and resource. */
export type ImportedTally = { source: string; pass: number; fail: number; warn: number; error: number; skip: number };
/** A control outcome of an imported policy: the usual tallies, and the engine's own counts. */
export type ImportedControlOutcome = ControlOutcome & { imported: ImportedTally };
export type PolicyReportImport = { findings: EngineFinding[]; controls: ImportedControlOutcome[]; parseErrors: ParseError[] };

const KYVERNO_SEVERITY = 'policies.kyverno.io/severity';
const KYVERNO_CATEGORY = 'policies.kyverno.io/category';
// When two reports speak of the same rule on the same resource (an old aggregated report beside a per-resource
// one), the gravest result stands: a failure is never hidden by a stale pass.
const PRECEDENCE: Record<PolicyResult, number> = { fail: 4, warn: 3, error: 2, pass: 1, skip: 0 };
const LOWER: Record<Severity, Severity> = { critical: 'high', high: 'medium', medium: 'low', low: 'low' };
const MAX_ERRORS = 20;

type Entry = {
  controlId: string;
  source: string;
  policy: string;
  rule: string | null;
  result: PolicyResult;
  severity: string | undefined;
  category: string | undefined;
  message: string | undefined;
  resource: ResourceRef;
  report: ImportedEvidence['report'];
};

/**
 * Results other policy engines (Kyverno, …) wrote into wgpolicyk8s.io PolicyReports, as findings (issue 23):
 * `fail` is a finding; `warn` (Kyverno's result for a policy its author marked unscored) a finding one severity
 * lower; `pass` and `skip` count as evaluated; `error` is an evaluation error, never a pass. One control per engine
 * and policy (`policyreport.<source>.<policy>`), mapped to no framework requirement: imported results never move
 * CIS or ISO scores. Severity: the result's, else the Kyverno policy's `policies.kyverno.io/severity` annotation
 * (snapshot list `kyvernopolicies`), else medium. Pure; a report or result that cannot be read is a parse error.
 */
export function importPolicyReports(snapshot: Snapshot, options: { includePlatform?: boolean } = {}): PolicyReportImport {
  const parseErrors: ParseError[] = [];
  const entries = new Map<string, Entry>();
  const annotations = kyvernoAnnotations(listOf(snapshot, 'kyvernopolicies'));
  for (const raw of listOf(snapshot, 'policyreports')) {
    const parsed = PolicyReportSchema.safeParse(raw);
    if (!parsed.success) {
      parseErrors.push({ resource: fallbackRef(raw), message: `PolicyReport could not be read: ${issueText(parsed.error.issues)}` });
      continue;
    }
    const report = parsed.data;
    const reportRef: ResourceRef = { apiVersion: report.apiVersion, kind: report.kind, namespace: report.metadata.namespace ?? null, name: report.metadata.name, uid: null };
    const reportSummary = { kind: report.kind, namespace: reportRef.namespace, name: reportRef.name };
    (report.results ?? []).forEach((rawResult, index) => {
      const result = PolicyReportResultSchema.safeParse(rawResult);
      if (!result.success) {
        parseErrors.push({ resource: reportRef, message: `results[${index}] could not be read: ${issueText(result.error.issues)}` });
        return;
      }
      const r = result.data;
      const source = r.source ?? report.metadata.labels?.['app.kubernetes.io/managed-by'] ?? 'unknown';
      const controlId = importedControlId(source, r.policy);
      const named = (r.resources ?? []).filter(isNamedRef);
      const targets = named.length > 0 ? named.map((ref) => toRef(ref, report)) : [isNamedRef(report.scope) ? toRef(report.scope, report) : reportRef];
      for (const resource of targets) {
        const key = JSON.stringify([controlId, resource.apiVersion, resource.kind, resource.namespace, resource.name, r.policy, r.rule ?? '']);
        const previous = entries.get(key);
        if (previous && PRECEDENCE[previous.result] >= PRECEDENCE[r.result]) continue;
        entries.set(key, {
          controlId, source, policy: r.policy, rule: r.rule || null, result: r.result, severity: r.severity, category: r.category,
          message: r.message, resource, report: reportSummary,
        });
      }
    });
  }

  const findings: EngineFinding[] = [];
  const outcomes = new Map<string, ImportedControlOutcome>();
  for (const entry of entries.values()) {
    const outcome = outcomes.get(entry.controlId) ?? newOutcome(entry);
    outcomes.set(entry.controlId, outcome);
    outcome.imported[entry.result] += 1;
    if (entry.result === 'error') {
      const message = `${entry.rule ? `rule ${entry.rule}: ` : ''}${importedMessage(entry.message) || 'the engine reported an error'}`;
      if ((outcome.errors ??= []).length < MAX_ERRORS) outcome.errors.push({ resource: entry.resource, message });
      parseErrors.push({ resource: entry.resource, message: `${entry.controlId}: ${message}` });
      continue;
    }
    // Results on objects Kubernetes itself manages are left out unless asked for, as for every other control.
    if (isPlatformRef(entry.resource) && !options.includePlatform) continue;
    outcome.evaluated += 1;
    if (entry.result === 'fail' || entry.result === 'warn') {
      outcome.findings += 1;
      findings.push(findingOf(entry, annotations));
    }
  }
  const controls = [...outcomes.values()].map((outcome): ImportedControlOutcome => {
    if (outcome.findings > 0) return { ...outcome, status: 'fail' };
    if (outcome.imported.error > 0) {
      const first = outcome.errors?.[0]?.message ?? '';
      return { ...outcome, status: 'not_applicable', reason: `could not be evaluated: ${outcome.imported.source} reported ${outcome.imported.error} error result(s), first: ${first}` };
    }
    return outcome;
  });
  return { findings, controls, parseErrors };
}

function newOutcome(entry: Entry): ImportedControlOutcome {
  return { controlId: entry.controlId, status: 'pass', evaluated: 0, findings: 0, imported: { source: sourceLabel(sourceKey(entry.source)), pass: 0, fail: 0, warn: 0, error: 0, skip: 0 } };
}

function findingOf(entry: Entry, annotations: ReadonlyMap<string, Record<string, string>>): EngineFinding {
  const policyAnnotations = sourceKey(entry.source) === 'kyverno' ? kyvernoPolicyAnnotations(annotations, entry.policy, entry.report.namespace) : undefined;
  const fromResult = severityFromReport(entry.severity);
  const fromPolicy = severityFromReport(policyAnnotations?.[KYVERNO_SEVERITY]);
  const reported = fromResult ?? fromPolicy ?? 'medium';
  const label = sourceLabel(sourceKey(entry.source));
  const text = importedMessage(entry.message) || (entry.result === 'warn' ? 'the policy warns about this resource' : 'the resource does not satisfy the policy');
  const rule = entry.rule ? `rule ${entry.rule.slice(0, 100)}: ` : '';
  const evidence: ImportedEvidence = {
    type: 'imported',
    source: label,
    policy: entry.policy,
    rule: entry.rule,
    result: entry.result === 'warn' ? 'warn' : 'fail',
    category: (entry.category ?? policyAnnotations?.[KYVERNO_CATEGORY])?.slice(0, 253) || null,
    severitySource: fromResult ? 'result' : fromPolicy ? 'policy' : 'default',
    report: entry.report,
  };
  return {
    controlId: entry.controlId,
    // A warning is a failure its policy's author chose not to score: shown, one step below.
    severity: entry.result === 'warn' ? LOWER[reported] : reported,
    resource: entry.resource,
    message: `${entry.result === 'warn' ? 'warning: ' : ''}${rule}${text}`,
    evidence,
    remediation: `Change the ${entry.resource.kind} so that it satisfies ${label} policy ${entry.policy}${entry.rule ? ` (rule ${entry.rule})` : ''}, or change the policy in the cluster. Bulwark imports ${label}'s result as reported; the next snapshot's report decides whether it is resolved.`,
    // The full policy name and the rule: two rules of one policy on one resource are two problems.
    fingerprint: fingerprintOf(entry.controlId, entry.resource, JSON.stringify([entry.policy, entry.rule ?? ''])),
    isPlatform: isPlatformRef(entry.resource),
  };
}

/** A result's resource as a ref; a namespaced report's resource without a namespace is in the report's namespace. */
function toRef(ref: NamedObjectRef, report: PolicyReport): ResourceRef {
  const namespace = ref.namespace || (report.kind === 'PolicyReport' && !isClusterScoped(ref.kind) ? report.metadata.namespace : undefined);
  return { apiVersion: ref.apiVersion ?? '', kind: ref.kind, namespace: namespace || null, name: ref.name, uid: ref.uid ?? null };
}

function isPlatformRef(ref: ResourceRef): boolean {
  if (ref.name.startsWith('system:')) return true;
  if (ref.kind === 'Namespace') return PLATFORM_NAMESPACES.has(ref.name);
  return ref.namespace !== null && PLATFORM_NAMESPACES.has(ref.namespace);
}

/** Kyverno policies' annotations by `ClusterPolicy/<name>` and `Policy/<namespace>/<name>`. */
function kyvernoAnnotations(policies: readonly unknown[]): Map<string, Record<string, string>> {
  const byKey = new Map<string, Record<string, string>>();
  for (const policy of policies) {
    if (typeof policy !== 'object' || policy === null) continue;
    const { kind, metadata } = policy as { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown; annotations?: unknown } };
    if (typeof metadata?.name !== 'string' || typeof metadata.annotations !== 'object' || metadata.annotations === null) continue;
    const annotations = Object.fromEntries(Object.entries(metadata.annotations).filter((pair): pair is [string, string] => typeof pair[1] === 'string'));
    if (kind === 'ClusterPolicy') byKey.set(`ClusterPolicy/${metadata.name}`, annotations);
    else if (kind === 'Policy' && typeof metadata.namespace === 'string') byKey.set(`Policy/${metadata.namespace}/${metadata.name}`, annotations);
  }
  return byKey;
}

/** Kyverno names a namespaced Policy `<namespace>/<name>` in results, a ClusterPolicy by its name. */
function kyvernoPolicyAnnotations(byKey: ReadonlyMap<string, Record<string, string>>, policy: string, reportNamespace: string | null) {
  if (policy.includes('/')) return byKey.get(`Policy/${policy}`);
  return byKey.get(`ClusterPolicy/${policy}`) ?? (reportNamespace ? byKey.get(`Policy/${reportNamespace}/${policy}`) : undefined);
}

/** A snapshot list by name, whether or not this version of the contract knows it (absent = not collected). */
function listOf(snapshot: Snapshot, name: string): readonly unknown[] {
  const list = (snapshot.objects as Readonly<Record<string, unknown>>)[name];
  return Array.isArray(list) ? list : [];
}

function fallbackRef(raw: unknown): ResourceRef {
  const object = (typeof raw === 'object' && raw !== null ? raw : {}) as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } };
  const text = (value: unknown, fallback: string) => (typeof value === 'string' && value ? value.slice(0, 253) : fallback);
  return {
    apiVersion: text(object.apiVersion, 'wgpolicyk8s.io/v1alpha2'), kind: text(object.kind, 'PolicyReport'),
    namespace: typeof object.metadata?.namespace === 'string' ? object.metadata.namespace : null, name: text(object.metadata?.name, '(unnamed)'), uid: null,
  };
}

function issueText(issues: readonly { path: PropertyKey[]; message: string }[]): string {
  const first = issues[0];
  if (!first) return 'invalid';
  const path = first.path.map(String).join('.');
  return `${path ? `${path}: ` : ''}${first.message}`;
}
