import { createHash } from 'node:crypto';
import { describeVapResult, evaluateAdmissionPolicies, type MatchResources, type VapBinding, type VapPolicy, type VapResult } from '@/lib/analysis/cel/vap';
import type { AdmissionPolicyEvidence, Severity } from '@/lib/analysis/model/evidence';
import { RESOURCE_KINDS, type CollectionStatus, type ResourceName, type Snapshot } from '@/lib/analysis/snapshot/schema';
import { fingerprintOf } from './fingerprint';
import type { ControlOutcome, EngineFinding, ParseError } from './types';

/**
 * The cluster's own admission policies (issue 23), judged against the objects already running: admission only
 * checks requests, so an object created before a ValidatingAdmissionPolicy, or let through by Warn / Audit or by
 * failurePolicy Ignore, may still violate it. Each policy is a control `vap.<policy>` mapped to no requirement (scores
 * stay the catalog's); each violating object under each binding is a finding. What cannot be judged on stored
 * objects is "not evaluable" with the reason, never a pass. Kyverno policies and Gatekeeper constraints are listed as
 * metadata beside them. Pure.
 */

export const ADMISSION_CONTROL_PREFIX = 'vap.';
type ListStatus = { status: CollectionStatus['status'] | 'not_collected'; message?: string };
export type AdmissionBindingOverview = {
  name: string;
  validationActions: string[];
  status: 'evaluated' | 'not_evaluable';
  reason?: string;
  /** Objects the binding selects that were judged. */
  evaluated: number;
  violations: number;
  errors: number;
  /** "2 running Deployments predate policy require-owner-label and violate it", or "… is not evaluable: <reason>". */
  summary: string;
};
export type AdmissionPolicyOverview = {
  name: string;
  controlId: string;
  failurePolicy: string;
  /** No binding: Kubernetes does not enforce the policy, and Bulwark does not judge it. */
  bindings: AdmissionBindingOverview[];
};
export type KyvernoPolicyOverview = { kind: string; namespace: string | null; name: string; action: string | null; background: boolean | null; rules: string[]; ready: boolean | null };
export type GatekeeperConstraintOverview = { kind: string; name: string; enforcementAction: string | null; totalViolations: number | null };
/** What an evaluation records of the cluster's own policies (EvaluationRun.admissionPolicies). */
export type AdmissionPolicyOverviewSet = {
  lists: Record<'validatingadmissionpolicies' | 'validatingadmissionpolicybindings' | 'kyvernopolicies' | 'gatekeeperconstraints', ListStatus>;
  policies: AdmissionPolicyOverview[];
  kyverno: KyvernoPolicyOverview[];
  gatekeeper: GatekeeperConstraintOverview[];
  /** Kyverno policies and Gatekeeper constraints beyond MAX_LISTED, counted, not listed. */
  kyvernoNotListed: number;
  gatekeeperNotListed: number;
};
export type AdmissionPolicyEvaluation = { findings: EngineFinding[]; controls: ControlOutcome[]; parseErrors: ParseError[]; overview: AdmissionPolicyOverviewSet };

const MAX_LISTED = 500;
const MAX_ERRORS = 20;
const MAX_CONTROL_ID = 200;

/** `vap.<policy>`; a name too long for the findings filter (200 characters) is cut and keeps a hash of the rest. */
export function admissionControlId(policy: string): string {
  const id = `${ADMISSION_CONTROL_PREFIX}${policy}`;
  if (id.length <= MAX_CONTROL_ID) return id;
  return `${id.slice(0, MAX_CONTROL_ID - 9)}.${createHash('sha256').update(policy).digest('hex').slice(0, 8)}`;
}

/** "Admission policy require-owner-label" for `vap.require-owner-label`, null for any other control (lists' titles). */
export function admissionControlTitle(controlId: string): string | null {
  return controlId.startsWith(ADMISSION_CONTROL_PREFIX) ? `Admission policy ${controlId.slice(ADMISSION_CONTROL_PREFIX.length)}` : null;
}

function listStatus(snapshot: Snapshot, list: keyof AdmissionPolicyOverviewSet['lists']): ListStatus {
  const status = snapshot.collection[list];
  if (status) return { status: status.status, ...(status.message ? { message: status.message } : {}) };
  return snapshot.objects[list] ? { status: 'collected' } : { status: 'not_collected', message: 'the agent did not send this list (an older agent)' };
}

const GROUP_OF: Record<ResourceName, string> = {
  namespaces: '', nodes: '', pods: '', deployments: 'apps', replicasets: 'apps', statefulsets: 'apps', daemonsets: 'apps', jobs: 'batch', cronjobs: 'batch',
  replicationcontrollers: '', serviceaccounts: '', roles: 'rbac.authorization.k8s.io', clusterroles: 'rbac.authorization.k8s.io',
  rolebindings: 'rbac.authorization.k8s.io', clusterrolebindings: 'rbac.authorization.k8s.io', networkpolicies: 'networking.k8s.io',
  services: '', ingresses: 'networking.k8s.io', secrets: '', configmaps: '',
};

/** The resources a policy's rules name that no snapshot list holds (when none it names is held): why it judged nothing. */
function uncollectedOnly(match: MatchResources | undefined, snapshot: Snapshot): string | null {
  const rules = match?.resourceRules ?? [];
  if (rules.length === 0) return null;
  const held = (Object.keys(RESOURCE_KINDS) as ResourceName[]).filter((resource) => snapshot.collection[resource]?.status !== 'forbidden' && snapshot.collection[resource]?.status !== 'disabled');
  const covers = rules.some((rule) => {
    const groups = rule.apiGroups ?? [];
    const resources = rule.resources ?? [];
    return held.some((resource) => (groups.includes('*') || groups.includes(GROUP_OF[resource])) && (resources.includes('*') || resources.includes(resource)));
  });
  if (covers) return null;
  const named = [...new Set(rules.flatMap((rule) => (rule.resources ?? []).map((resource) => `${resource}${(rule.apiGroups ?? [])[0] ? `.${(rule.apiGroups ?? [])[0]}` : ''}`)))];
  return `it matches only resources the snapshot does not carry (${named.slice(0, 5).join(', ') || 'none'})`;
}

const asPolicy = (object: unknown): VapPolicy | null => {
  const o = object as { metadata?: { name?: unknown }; spec?: unknown };
  return typeof o?.metadata?.name === 'string' && typeof o.spec === 'object' && o.spec !== null ? (o as VapPolicy) : null;
};
const asBinding = (object: unknown): VapBinding | null => {
  const o = object as { metadata?: { name?: unknown }; spec?: { policyName?: unknown } };
  return typeof o?.metadata?.name === 'string' && typeof o.spec?.policyName === 'string' ? (o as VapBinding) : null;
};

function actionsText(actions: readonly string[]): string {
  return actions.length > 0 ? actions.join(', ') : 'none';
}

/**
 * A violation in words. Objects of a cluster were admitted (before the policy, or past a binding that only warns or
 * audits); manifests (`bulwark scan`) have not been applied yet: the policy would deny them, or warn or audit them.
 */
function messageOf(result: VapResult, violation: VapResult['violations'][number], manifests: boolean): string {
  const { ref } = violation;
  const where = ref.namespace ? `${ref.namespace}/${ref.name}` : ref.name;
  const denies = result.validationActions.includes('Deny');
  const policy = `ValidatingAdmissionPolicy ${result.policy} (binding ${result.binding}, actions ${actionsText(result.validationActions)}`;
  let how: string;
  if (manifests) how = denies ? `would be denied by ${policy})` : `would draw a warning or an audit entry from ${policy})`;
  else how = denies ? `was admitted before ${policy}) and violates it` : `was admitted under ${policy}: not denied) and violates it`;
  return `${ref.kind} ${where} ${how}: ${violation.message}`.slice(0, 2000);
}

/** Evaluates the snapshot's ValidatingAdmissionPolicies and lists its Kyverno policies and Gatekeeper constraints. */
export function evaluateClusterAdmissionPolicies(snapshot: Snapshot, options: { includePlatform?: boolean; manifests?: boolean } = {}): AdmissionPolicyEvaluation {
  const policies = (snapshot.objects.validatingadmissionpolicies ?? []).map(asPolicy).filter((p): p is VapPolicy => p !== null);
  const bindings = (snapshot.objects.validatingadmissionpolicybindings ?? []).map(asBinding).filter((b): b is VapBinding => b !== null);
  const results = evaluateAdmissionPolicies(policies, bindings, snapshot.objects, { includePlatform: options.includePlatform });
  const byPolicy = new Map<string, VapResult[]>();
  for (const result of results) {
    const policy = policies.find((p) => p.metadata.name === result.policy);
    // A policy that judged nothing because it names only resources the snapshot lacks would read as a pass: not evaluable.
    if (result.status === 'evaluated' && result.evaluated === 0 && policy) {
      const reason = uncollectedOnly(policy.spec.matchConstraints, snapshot);
      if (reason) Object.assign(result, { status: 'not_evaluable', reason });
    }
    byPolicy.set(result.policy, [...(byPolicy.get(result.policy) ?? []), result]);
  }

  const findings: EngineFinding[] = [];
  const controls: ControlOutcome[] = [];
  const parseErrors: ParseError[] = [];
  const overviews: AdmissionPolicyOverview[] = [];
  const names = [...new Set([...policies.map((p) => p.metadata.name), ...byPolicy.keys()])].sort();
  for (const name of names) {
    const policy = policies.find((p) => p.metadata.name === name);
    const failurePolicy = policy?.spec.failurePolicy ?? 'Fail';
    const controlId = admissionControlId(name);
    const own = byPolicy.get(name) ?? [];
    overviews.push({
      name,
      controlId,
      failurePolicy,
      bindings: own.map((r) => ({
        name: r.binding, validationActions: r.validationActions, status: r.status, ...(r.reason ? { reason: r.reason } : {}),
        evaluated: r.evaluated, violations: r.violations.length, errors: r.errors.length, summary: describeVapResult(r),
      })),
    });
    if (own.length === 0) continue;
    const outcome: ControlOutcome = { controlId, status: 'pass', evaluated: 0, findings: 0 };
    const seen = new Set<string>();
    for (const result of own) {
      if (result.status === 'not_evaluable') continue;
      outcome.evaluated += result.evaluated;
      for (const error of result.errors) {
        if ((outcome.errors ??= []).length < MAX_ERRORS) outcome.errors.push({ resource: error.ref, message: `binding ${result.binding}: ${error.message}` });
        parseErrors.push({ resource: error.ref, message: `${controlId} (binding ${result.binding}): ${error.message}` });
      }
      for (const violation of result.violations) {
        const fingerprint = fingerprintOf(controlId, violation.ref, result.binding);
        if (seen.has(fingerprint)) continue;
        seen.add(fingerprint);
        const evidence: AdmissionPolicyEvidence = {
          type: 'admission-policy', policy: name, binding: result.binding, validationActions: result.validationActions, failurePolicy,
          validation: violation.validation, expression: violation.expression.slice(0, 4000),
        };
        // Deny is the cluster owner's own "must not run"; Warn and Audit only tell.
        const severity: Severity = result.validationActions.includes('Deny') ? 'high' : 'medium';
        findings.push({
          controlId,
          severity,
          resource: violation.ref,
          message: messageOf(result, violation, options.manifests === true),
          evidence,
          remediation: `Change the ${violation.ref.kind} so that it satisfies ValidatingAdmissionPolicy ${name} (the next update would be ${result.validationActions.includes('Deny') ? 'denied' : 'warned about or audited'} otherwise), or change the policy or its binding ${result.binding}. Admission checks only new requests: objects created before the policy keep running until they are updated.`,
          fingerprint,
          isPlatform: false,
        });
        outcome.findings += 1;
      }
    }
    if (outcome.findings > 0) outcome.status = 'fail';
    else if (own.every((r) => r.status === 'not_evaluable')) Object.assign(outcome, { status: 'not_applicable', reason: `not evaluable: ${own.map((r) => r.reason).find(Boolean) ?? ''}` });
    else if (outcome.evaluated === 0 && (outcome.errors?.length ?? 0) > 0) Object.assign(outcome, { status: 'not_applicable', reason: `could not be evaluated: ${outcome.errors?.[0]?.message ?? ''}` });
    controls.push(outcome);
  }

  const kyvernoAll = snapshot.objects.kyvernopolicies ?? [];
  const gatekeeperAll = snapshot.objects.gatekeeperconstraints ?? [];
  const kyverno = kyvernoAll.slice(0, MAX_LISTED).map((p): KyvernoPolicyOverview => {
    const ruleActions = [...new Set(p.spec.rules.map((r) => r.failureAction).filter((a): a is string => Boolean(a)))];
    return {
      kind: p.kind, namespace: p.metadata.namespace ?? null, name: p.metadata.name,
      action: p.spec.validationFailureAction ?? (ruleActions.length > 0 ? ruleActions.join(', ') : null),
      background: p.spec.background ?? null, rules: p.spec.rules.map((r) => r.name), ready: p.status?.ready ?? null,
    };
  });
  const gatekeeper = gatekeeperAll.slice(0, MAX_LISTED).map((c): GatekeeperConstraintOverview => ({
    kind: c.kind, name: c.metadata.name, enforcementAction: c.spec.enforcementAction ?? null, totalViolations: c.status?.totalViolations ?? null,
  }));
  return {
    findings,
    controls,
    parseErrors,
    overview: {
      lists: {
        validatingadmissionpolicies: listStatus(snapshot, 'validatingadmissionpolicies'),
        validatingadmissionpolicybindings: listStatus(snapshot, 'validatingadmissionpolicybindings'),
        kyvernopolicies: listStatus(snapshot, 'kyvernopolicies'),
        gatekeeperconstraints: listStatus(snapshot, 'gatekeeperconstraints'),
      },
      policies: overviews,
      kyverno,
      gatekeeper,
      kyvernoNotListed: kyvernoAll.length - kyverno.length,
      gatekeeperNotListed: gatekeeperAll.length - gatekeeper.length,
    },
  };
}
