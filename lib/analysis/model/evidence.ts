import type { JsonValue } from './json';
import type { RbacSubject } from './rbac/model';

/** What a control reports with each violation: how bad it is, and the evidence that shows it. */
export type Severity = 'critical' | 'high' | 'medium' | 'low';
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low'];

/** The field that holds the problem, and what it held. `object` names a Pod when the field is on a Pod below a workload. */
export type PathEvidence = { type: 'path'; path: string; value: JsonValue; object?: { kind: string; name: string } };

/** Who gets the permission, through which binding, role and rule (and which aggregated ClusterRoles carried it). */
export type RbacEvidence = {
  type: 'rbac';
  subject: RbacSubject;
  binding: { kind: 'RoleBinding' | 'ClusterRoleBinding'; namespace: string | null; name: string };
  role: { kind: string; name: string };
  rule: { apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[]; nonResourceURLs?: string[] };
  viaAggregation?: string[];
};

/** Something that should exist and does not (a NetworkPolicy, a label, the role a binding points at). */
export type AbsenceEvidence = { type: 'absence'; expected: string; searched?: { kind: string; namespace: string | null; name: string } };

/** A custom control's CEL validation that returned false (lib/analysis/cel), with the control version that ran it. */
export type ExpressionEvidence = { type: 'expression'; controlVersion: number; validation: number; expression: string };

/**
 * A result another policy engine (Kyverno, …) wrote into a wgpolicyk8s.io PolicyReport, imported as reported (issue 23):
 * which engine, policy and rule, whether it failed or only warned, and where its severity came from.
 */
export type ImportedEvidence = {
  type: 'imported';
  source: string;
  policy: string;
  rule: string | null;
  result: 'fail' | 'warn';
  category: string | null;
  /** The result's own severity, the policy's annotation (policies.kyverno.io/severity), or medium by default. */
  severitySource: 'result' | 'policy' | 'default';
  report: { kind: string; namespace: string | null; name: string };
};

/**
 * An object already running that violates one of the cluster's own ValidatingAdmissionPolicies (issue 23): the policy,
 * the binding that selects the object, what admission does about it, and the validation (index, CEL) that failed.
 */
export type AdmissionPolicyEvidence = {
  type: 'admission-policy';
  policy: string;
  binding: string;
  validationActions: string[];
  failurePolicy: string;
  validation: number;
  expression: string;
};

export type Evidence = PathEvidence | RbacEvidence | AbsenceEvidence | ExpressionEvidence | ImportedEvidence | AdmissionPolicyEvidence;
