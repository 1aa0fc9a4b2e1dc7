import type { FrameworkId } from '@/lib/analysis/frameworks/types';
import type { Evidence, Severity } from '@/lib/analysis/model/evidence';
import type { ResourceRef } from '@/lib/analysis/model/kube';

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
