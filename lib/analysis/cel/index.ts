/**
 * CEL for the organization's own rules (issue 23): compile and type-check with positions, the custom-control rule
 * shape (match + validations, as in a ValidatingAdmissionPolicy), running a rule over a snapshot with time limits,
 * and the examples library. Pure.
 */
export { CEL_LIMITS, CEL_VARIABLES, compileCel, type CelCompileError, type CelPosition, type CelProgram } from './compile';
export {
  compileRule,
  LabelSelectorSpecSchema,
  MatchSpecSchema,
  RuleSpecSchema,
  ValidationSpecSchema,
  type CompiledRule,
  type MatchSpec,
  type RuleCompileError,
  type RuleSpec,
} from './spec';
export { CEL_TIME_LIMITS, objectMatches, runRule, type CelLimits, type RuleError, type RuleRun, type RuleViolation } from './run';
export { parseSelectorText, selectorToText, type SelectorTextResult } from './selector-text';
export { CUSTOM_CONTROL_EXAMPLES, type CustomControlExample } from './examples';
export { describeVapResult, evaluateAdmissionPolicies, type VapBinding, type VapPolicy, type VapResult } from './vap';
