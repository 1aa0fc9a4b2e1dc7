/** The engine's public surface: evaluate a snapshot, recompute requirement results after triage, and the types. */
export { evaluate } from './evaluate';
export { requirementResultsFor, type ControlTally } from './requirements';
export { fingerprintOf } from './fingerprint';
export { isPlatformDefault, POD_BEARING_KINDS, type ResourceRef } from './kube';
export type {
  AbsenceEvidence,
  ControlOutcome,
  ControlStatus,
  EngineFinding,
  EvaluateOptions,
  EvaluationResult,
  Evidence,
  FrameworkId,
  FrameworkScore,
  ParseError,
  PathEvidence,
  RbacEvidence,
  RequirementResult,
  RequirementStatus,
  Severity,
} from './types';
export { SEVERITIES } from './types';
export type { RbacSubject } from './rbac/model';
