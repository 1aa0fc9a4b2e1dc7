import type { CelLimits, RuleSpec } from '@/lib/analysis/cel';
import type { FrameworkId } from '@/lib/analysis/frameworks/types';
import type { Evidence, Severity } from '@/lib/analysis/model/evidence';
import type { ResourceRef } from '@/lib/analysis/model/kube';
import type { NodeReport } from '@/lib/analysis/snapshot/node-report';

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
  /** Custom controls only: the version of the organization's control that produced the finding. */
  controlVersion?: number;
};

/** provider_responsibility: a managed service runs what the control checks (e.g. EKS's control plane): neither passed nor failed. */
export type ControlStatus = 'pass' | 'fail' | 'not_applicable' | 'provider_responsibility';
export type ControlOutcome = {
  controlId: string;
  status: ControlStatus;
  reason?: string;
  evaluated: number;
  findings: number;
  /** Custom controls only: the version that ran, and runtime errors (first 20) that did not stop the evaluation. */
  controlVersion?: number;
  errors?: { resource: ResourceRef | null; message: string }[];
  /**
   * Custom controls only: the requirements the version that ran maps to (`<frameworkId>:<code>`, e.g.
   * `iso27001-2022:A.8.9`, or an organization framework's `<key>:<code>`). Recorded with the outcome, so a
   * requirement's result always follows the mapping of the version that was evaluated.
   */
  requirementIds?: string[];
};

export type RequirementStatus = 'pass' | 'fail' | 'not_applicable' | 'manual' | 'provider_responsibility';
export type RequirementResult = {
  frameworkId: FrameworkId;
  requirementId: string;
  status: RequirementStatus;
  /** Every control mapped to the requirement that took part in this evaluation: catalog ones, then the organization's own (`custom.<key>`). */
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
  /** Requirements the managed provider carries (counted in neither passed nor failed; also in notApplicable). */
  providerResponsibility?: number;
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
  /** The latest report of each node (CIS sections 1-4); without them those controls are not applicable. */
  nodeReports?: readonly NodeReport[];
  /** The organization's own controls (issue 23), as data: compiled and run here, next to the catalog. */
  customControls?: CustomControlInput[];
  /** What custom controls read as `params` (the organization's variables, e.g. allowedRegistries). */
  params?: Record<string, unknown>;
  /** Time limits per object and per custom control (default CEL_TIME_LIMITS), and the monotonic clock they use. */
  celLimits?: CelLimits;
  clock?: () => number;
};

/** One enabled version of an organization's custom control. */
export type CustomControlInput = {
  /** `custom.<key>`: never collides with a catalog id. */
  id: string;
  version: number;
  severity: Severity;
  remediation: string;
  rule: RuleSpec;
  /** The requirements it maps to (`iso27001-2022:A.8.9`, `cis-k8s-1.9:5.2.2`, or `<org framework key>:<code>`): they count it. */
  requirementIds?: string[];
};
