import type { JsonValue } from './json';
import type { ResourceRef } from './kube';
import type { RbacSubject } from './rbac/model';

export type Severity = 'critical' | 'high' | 'medium' | 'low';
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low'];

export type FrameworkId = 'cis-k8s-1.9' | 'iso27001-2022' | 'nsa-k8s-1.2';

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

export type Evidence = PathEvidence | RbacEvidence | AbsenceEvidence;

export type EngineFinding = {
  controlId: string;
  severity: Severity;
  resource: ResourceRef;
  message: string;
  evidence: Evidence;
  remediation: string;
  /** sha256 hex of control id, resource identity and offending item: same problem, same print. Never uid or time. */
  fingerprint: string;
  isPlatform: boolean;
};

export type ControlStatus = 'pass' | 'fail' | 'not_applicable';
export type ControlOutcome = { controlId: string; status: ControlStatus; reason?: string; evaluated: number; findings: number };

export type RequirementStatus = 'pass' | 'fail' | 'not_applicable' | 'manual';
export type RequirementResult = {
  frameworkId: FrameworkId;
  requirementId: string;
  status: RequirementStatus;
  /** Every catalog control mapped to the requirement that took part in this evaluation. */
  controlIds: string[];
  failingControlIds: string[];
  /** Controls that failed only on risk-accepted findings; they count as passed. */
  acceptedControlIds: string[];
  reason?: string;
};

export type FrameworkScore = {
  frameworkId: FrameworkId;
  /** passed / (passed + failed) of the requirements controls can decide, 0-100 with one decimal; 0 when none could. */
  score: number;
  passed: number;
  failed: number;
  notApplicable: number;
  manual: number;
  /** Passed requirements that pass only because their failing findings are risk-accepted (included in passed). */
  accepted: number;
};

export type ParseError = { resource: ResourceRef; message: string };

export type EvaluationResult = {
  catalogVersion: string;
  findings: EngineFinding[];
  controls: ControlOutcome[];
  requirements: RequirementResult[];
  scores: FrameworkScore[];
  parseErrors: ParseError[];
};

export type EvaluateOptions = {
  now: Date;
  /** Report objects Kubernetes itself manages (flagged isPlatform). Off by default. */
  includePlatform?: boolean;
  /** Registry prefixes images may come from; the registry control only runs when the organization set a list. */
  allowedRegistries?: string[];
  /** Evaluate only these controls (unknown ids are ignored here; the CLI rejects them). */
  controlIds?: string[];
  /** Compute requirement results and scores for these frameworks only (default: all). */
  frameworks?: FrameworkId[];
};
