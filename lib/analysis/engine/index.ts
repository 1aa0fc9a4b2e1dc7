/**
 * The engine's public surface, and its only door (eslint.config.js): evaluate a snapshot against the catalog,
 * recompute requirement results after triage, and the types of what they return. The vocabulary of a finding
 * (severity, evidence, resource) is defined in lib/analysis/model and passed on here as part of the result;
 * framework ids are the frameworks' own (lib/analysis/frameworks).
 */
export { evaluate } from './evaluate';
export { requirementResultsFor, type ControlTally } from './requirements';
export { fingerprintOf } from './fingerprint';
export {
  evaluateClusterAdmissionPolicies, admissionControlId, admissionControlTitle, ADMISSION_CONTROL_PREFIX,
  type AdmissionPolicyEvaluation, type AdmissionPolicyOverviewSet, type AdmissionPolicyOverview, type AdmissionBindingOverview,
  type KyvernoPolicyOverview, type GatekeeperConstraintOverview,
} from './admission-policies';
export { importPolicyReports, type ImportedControlOutcome, type ImportedTally, type PolicyReportImport } from './policy-reports';
export {
  orgFrameworkResultsFor, orgFrameworkScoreId, ORG_FRAMEWORK_PREFIX,
  type OrgFrameworkDefinition, type OrgFrameworkScore, type OrgRequirementResult, type OrgRequirementStatus,
} from './org-frameworks';
export type {
  ControlOutcome,
  ControlStatus,
  CustomControlInput,
  EngineFinding,
  EvaluateOptions,
  EvaluationResult,
  FrameworkScore,
  ParseError,
  RequirementResult,
  RequirementStatus,
} from './types';
export { isPlatformDefault, POD_BEARING_KINDS, type ResourceRef } from '@/lib/analysis/model/kube';
export { SEVERITIES, type AbsenceEvidence, type Evidence, type PathEvidence, type RbacEvidence, type Severity } from '@/lib/analysis/model/evidence';
export type { RbacSubject } from '@/lib/analysis/model/rbac/model';
