import { redactObject } from './redact';
import {
  POLICY_REPORT_LIMITS,
  RedactedValueSchema,
  type GatekeeperConstraintMeta,
  type KyvernoPolicyMeta,
  type PolicyReport,
  type PolicyReportResult,
} from './schema';

/**
 * The cluster's own policies as the snapshot carries them (issue 23): what the agent keeps of a Kyverno policy, a
 * Gatekeeper constraint and a PolicyReport, from the object the API server gave. Pure; the agent and manifest
 * scans share it. Admission policies (VAPs and their bindings) travel whole, through stripObject/redactObject.
 */

type Json = Record<string, unknown>;
const isRecord = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const str = (value: unknown, max: number): string | undefined => (typeof value === 'string' ? value.slice(0, max) : undefined);
const defined = <T extends Json>(object: T): T => Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined)) as T;

function metadataOf(object: Json, kind: string): KyvernoPolicyMeta['metadata'] {
  // Annotations are searched like any object's (redactObject), the rest of the object is not kept.
  const { metadata } = redactObject({ kind, metadata: isRecord(object.metadata) ? object.metadata : {} });
  return metadata as KyvernoPolicyMeta['metadata'];
}

const RULE_TYPES = ['validate', 'mutate', 'generate', 'verifyImages'] as const;
type KyvernoRule = KyvernoPolicyMeta['spec']['rules'][number];

/** A Kyverno ClusterPolicy or Policy: metadata, the failure action, background and each rule's name and type. */
export function toKyvernoPolicyMeta(policy: Json): KyvernoPolicyMeta {
  const spec = isRecord(policy.spec) ? policy.spec : {};
  const kind = policy.kind === 'Policy' ? 'Policy' : 'ClusterPolicy';
  const rules = asArray(spec.rules)
    .filter(isRecord)
    .slice(0, 1000)
    .map((rule) => {
      // Already shaped (a snapshot read back) keeps its type and failure action.
      const known = [...RULE_TYPES, 'other'].find((t) => t === rule.type) as KyvernoRule['type'] | undefined;
      const type: KyvernoRule['type'] = known ?? RULE_TYPES.find((t) => rule[t] !== undefined) ?? 'other';
      const validate = isRecord(rule.validate) ? rule.validate : {};
      return defined({ name: str(rule.name, 253) ?? '', type, failureAction: str(validate.failureAction ?? rule.failureAction, 63) });
    });
  const conditions = isRecord(policy.status) ? asArray(policy.status.conditions).filter(isRecord) : [];
  const readyCondition = conditions.find((c) => c.type === 'Ready');
  const ready = isRecord(policy.status) && typeof policy.status.ready === 'boolean' ? policy.status.ready : readyCondition ? readyCondition.status === 'True' : undefined;
  return defined({
    apiVersion: typeof policy.apiVersion === 'string' ? policy.apiVersion : 'kyverno.io/v1',
    kind,
    metadata: metadataOf(policy, kind),
    spec: defined({
      validationFailureAction: str(spec.validationFailureAction, 63),
      background: typeof spec.background === 'boolean' ? spec.background : undefined,
      rules,
    }),
    status: ready === undefined ? undefined : { ready },
  });
}

/** A Gatekeeper constraint: metadata, enforcementAction, match and the audit's totalViolations. No parameters. */
export function toGatekeeperConstraintMeta(constraint: Json): GatekeeperConstraintMeta {
  const spec = isRecord(constraint.spec) ? constraint.spec : {};
  const status = isRecord(constraint.status) ? constraint.status : {};
  const kind = typeof constraint.kind === 'string' ? constraint.kind : 'Constraint';
  const totalViolations = typeof status.totalViolations === 'number' && Number.isInteger(status.totalViolations) && status.totalViolations >= 0 ? status.totalViolations : undefined;
  // Not auditTimestamp: it changes with every audit run, and would make every snapshot differ from the last.
  return defined({
    apiVersion: typeof constraint.apiVersion === 'string' ? constraint.apiVersion : 'constraints.gatekeeper.sh/v1beta1',
    kind,
    metadata: metadataOf(constraint, kind),
    spec: defined({ enforcementAction: str(spec.enforcementAction, 63), match: isRecord(spec.match) ? spec.match : undefined }),
    status: totalViolations === undefined ? undefined : { totalViolations },
  });
}

const RESULTS = ['pass', 'fail', 'warn', 'error', 'skip'] as const;
const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;

function resourceRefOf(value: unknown): NonNullable<PolicyReport['scope']> | undefined {
  if (!isRecord(value)) return undefined;
  return defined({ apiVersion: str(value.apiVersion, 253), kind: str(value.kind, 63), name: str(value.name, 253), namespace: str(value.namespace, 63), uid: str(value.uid, 128) });
}

function resultOf(result: Json): PolicyReportResult | null {
  const policy = str(result.policy, 253);
  const outcome = RESULTS.find((r) => r === result.result);
  if (!policy || !outcome) return null;
  const severity = SEVERITIES.find((s) => s === result.severity);
  let properties: NonNullable<PolicyReportResult['properties']> | undefined;
  if (isRecord(result.properties)) {
    properties = {};
    for (const [key, value] of Object.entries(result.properties).slice(0, POLICY_REPORT_LIMITS.properties)) {
      if (typeof value === 'string') properties[key.slice(0, 253)] = value.slice(0, POLICY_REPORT_LIMITS.propertyValue);
      else {
        // A redaction made earlier (a snapshot read back) stays as it is.
        const redacted = RedactedValueSchema.safeParse(value);
        if (redacted.success) properties[key.slice(0, 253)] = redacted.data;
      }
    }
  }
  const timestamp = isRecord(result.timestamp) && typeof result.timestamp.seconds === 'number' ? defined({ seconds: Math.trunc(result.timestamp.seconds), nanos: typeof result.timestamp.nanos === 'number' ? Math.trunc(result.timestamp.nanos) : undefined }) : undefined;
  return defined({
    policy,
    rule: str(result.rule, 253),
    result: outcome,
    severity,
    category: str(result.category, 253),
    source: str(result.source, 253),
    message: str(result.message, POLICY_REPORT_LIMITS.message),
    resources: Array.isArray(result.resources)
      ? result.resources.slice(0, POLICY_REPORT_LIMITS.resources).map(resourceRefOf).filter((r): r is NonNullable<typeof r> => r !== undefined)
      : undefined,
    scored: typeof result.scored === 'boolean' ? result.scored : undefined,
    properties,
    timestamp,
  });
}

/**
 * A PolicyReport or ClusterPolicyReport: its results (failing ones first when over the cap, the rest counted in
 * resultsOmitted), each with its fields cut to the contract's limits, credential-like messages and properties
 * redacted (redactObject: the same detectors as env values).
 */
export function toPolicyReport(report: Json): PolicyReport {
  const kind = report.kind === 'ClusterPolicyReport' ? 'ClusterPolicyReport' : 'PolicyReport';
  const all = asArray(report.results)
    .filter(isRecord)
    .map(resultOf)
    .filter((r): r is PolicyReportResult => r !== null);
  const rank = (r: PolicyReportResult) => (r.result === 'fail' || r.result === 'error' ? 0 : r.result === 'warn' ? 1 : 2);
  const kept = all.length > POLICY_REPORT_LIMITS.results ? [...all].sort((a, b) => rank(a) - rank(b)).slice(0, POLICY_REPORT_LIMITS.results) : all;
  const before = typeof report.resultsOmitted === 'number' && Number.isInteger(report.resultsOmitted) && report.resultsOmitted > 0 ? report.resultsOmitted : 0;
  const omitted = before + all.length - kept.length;
  const summary = isRecord(report.summary)
    ? defined(Object.fromEntries(RESULTS.map((r) => [r, typeof report.summary === 'object' && report.summary && typeof (report.summary as Json)[r] === 'number' && ((report.summary as Json)[r] as number) >= 0 ? Math.trunc((report.summary as Json)[r] as number) : undefined])))
    : undefined;
  const shaped = defined({
    apiVersion: typeof report.apiVersion === 'string' ? report.apiVersion : 'wgpolicyk8s.io/v1alpha2',
    kind,
    metadata: isRecord(report.metadata) ? report.metadata : {},
    scope: resourceRefOf(report.scope),
    summary,
    results: kept,
    resultsOmitted: omitted > 0 ? omitted : undefined,
  });
  return redactObject(shaped) as PolicyReport;
}
