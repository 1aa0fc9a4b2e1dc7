import { equivalentRequirementRefs, FRAMEWORK_IDS, FRAMEWORKS, listRequirementControls, type FrameworkId } from '@/lib/analysis/frameworks';
import type { ControlStatus, FrameworkScore, RequirementResult } from './types';

/**
 * One control's result as the pipeline knows it after triage. `openFindings` are findings still to fix;
 * `acceptedFindings` are covered by an approved, unexpired risk acceptance.
 */
export type ControlTally = {
  controlId: string;
  status: ControlStatus;
  reason?: string;
  openFindings: number;
  acceptedFindings: number;
  /** The organization's own controls (`custom.<key>`) carry their mappings (`<frameworkId>:<code>`): they count beside the catalog's. */
  requirementIds?: readonly string[];
};

/** frameworkId -> requirement id -> the custom controls mapped to it, from the tallies' own mappings (a CIS item in every version). */
function customMappings(tallies: readonly ControlTally[]): Map<string, Map<string, string[]>> {
  const out = new Map<string, Map<string, string[]>>();
  for (const tally of tallies) {
    for (const ref of (tally.requirementIds ?? []).flatMap(equivalentRequirementRefs)) {
      const colon = ref.indexOf(':');
      if (colon <= 0) continue;
      const byRequirement = out.get(ref.slice(0, colon)) ?? new Map<string, string[]>();
      const list = byRequirement.get(ref.slice(colon + 1)) ?? [];
      if (!list.includes(tally.controlId)) list.push(tally.controlId);
      byRequirement.set(ref.slice(colon + 1), list);
      out.set(ref.slice(0, colon), byRequirement);
    }
  }
  return out;
}

export type Effective = 'pass' | 'fail' | 'accepted' | 'not_applicable' | 'provider_responsibility';

/** A failed control whose every finding is risk-accepted counts as passed, and is remembered as accepted. */
export function effectiveStatus(tally: ControlTally): Effective {
  if (tally.status === 'not_applicable') return 'not_applicable';
  if (tally.status === 'provider_responsibility') return 'provider_responsibility';
  if (tally.status === 'pass') return 'pass';
  if (tally.openFindings > 0) return 'fail';
  return tally.acceptedFindings > 0 ? 'accepted' : 'pass';
}

/**
 * Requirement results and framework scores from per-control tallies. evaluate() calls it with every finding open;
 * the findings pipeline calls it again with the risk-accepted counts to get the numbers it shows:
 *
 * - a requirement fails when one of its controls has an open finding; it passes when the rest pass, or fail only
 *   on accepted findings (those controls are listed in acceptedControlIds and counted in FrameworkScore.accepted);
 * - it is not_applicable when all its evaluated controls are (e.g. a list the agent was forbidden to read), or when
 *   none of its controls took part (control filter), or when Kubernetes cannot speak to it at all (ISO A.6, A.7...);
 * - it is manual when no control decides it (framework data gives the evidence to bring instead);
 * - score = passed / (passed + failed) over the requirements controls decided, 0-100 with one decimal, 0 if none;
 * - the organization's own controls decide the requirements their tally maps them to (`requirementIds`) like
 *   catalog controls, even one Bulwark calls manual or not applicable to Kubernetes: the organization said they speak to it.
 *
 * Pure: the same tallies always give the same result. Unknown control ids in `tallies` are ignored.
 */
export function requirementResultsFor(
  tallies: readonly ControlTally[],
  frameworkIds: readonly FrameworkId[] = FRAMEWORK_IDS,
): { requirements: RequirementResult[]; scores: FrameworkScore[] } {
  const byControl = new Map(tallies.map((tally) => [tally.controlId, tally]));
  const own = customMappings(tallies);
  const requirements: RequirementResult[] = [];
  const scores: FrameworkScore[] = [];
  for (const framework of FRAMEWORKS) {
    if (!frameworkIds.includes(framework.id)) continue;
    const controlsOf = listRequirementControls(framework.id);
    const customOf = own.get(framework.id);
    const score: FrameworkScore = { frameworkId: framework.id, score: 0, passed: 0, failed: 0, notApplicable: 0, manual: 0, accepted: 0, providerResponsibility: 0 };
    for (const requirement of framework.requirements) {
      const result = resultFor(framework.id, requirement.id, requirement, controlsOf.get(requirement.id) ?? [], customOf?.get(requirement.id) ?? [], byControl);
      requirements.push(result);
      if (result.status === 'pass') score.passed += 1;
      else if (result.status === 'fail') score.failed += 1;
      else if (result.status === 'manual') score.manual += 1;
      else score.notApplicable += 1;
      if (result.status === 'provider_responsibility') score.providerResponsibility = (score.providerResponsibility ?? 0) + 1;
      if (result.status === 'pass' && result.acceptedControlIds.length > 0) score.accepted += 1;
    }
    const decided = score.passed + score.failed;
    score.score = decided === 0 ? 0 : Math.round((score.passed / decided) * 1000) / 10;
    scores.push(score);
  }
  return { requirements, scores };
}

function resultFor(
  frameworkId: FrameworkId,
  requirementId: string,
  requirement: { assessment: string; manualEvidence?: string; notApplicableReason?: string },
  mapped: readonly string[],
  custom: readonly string[],
  byControl: ReadonlyMap<string, ControlTally>,
): RequirementResult {
  const base = { frameworkId, requirementId, controlIds: [] as string[], failingControlIds: [] as string[], acceptedControlIds: [] as string[] };
  if (custom.length === 0) {
    if (requirement.notApplicableReason) return { ...base, status: 'not_applicable', reason: requirement.notApplicableReason };
    if (requirement.assessment === 'manual' || mapped.length === 0) {
      return { ...base, status: 'manual', reason: requirement.manualEvidence ?? 'No Bulwark control decides this requirement; provide evidence manually.' };
    }
  }
  const decidedBy = requirement.assessment === 'manual' || requirement.notApplicableReason ? custom : [...mapped, ...custom];
  const tallies = decidedBy.map((id) => byControl.get(id)).filter((tally): tally is ControlTally => tally !== undefined);
  const controlIds = tallies.map((tally) => tally.controlId);
  if (tallies.length === 0) return { ...base, status: 'not_applicable', reason: 'None of its controls was evaluated.' };
  const states = tallies.map((tally) => ({ tally, state: effectiveStatus(tally) }));
  const failing = states.filter((s) => s.state === 'fail').map((s) => s.tally.controlId);
  const accepted = states.filter((s) => s.state === 'accepted').map((s) => s.tally.controlId);
  const withControls = { ...base, controlIds, acceptedControlIds: accepted };
  if (failing.length > 0) return { ...withControls, status: 'fail', failingControlIds: failing };
  // A managed provider's requirement (every control that took part is the provider's) is neither passed nor failed.
  if (states.every((s) => s.state === 'provider_responsibility' || s.state === 'not_applicable') && states.some((s) => s.state === 'provider_responsibility')) {
    const reasons = [...new Set(tallies.filter((t) => t.status === 'provider_responsibility').map((t) => t.reason).filter((r): r is string => Boolean(r)))];
    return { ...withControls, status: 'provider_responsibility', reason: reasons.join('; ') || 'Run by the managed service provider.' };
  }
  if (states.every((s) => s.state === 'not_applicable' || s.state === 'provider_responsibility')) {
    const reasons = [...new Set(tallies.map((tally) => tally.reason).filter((reason): reason is string => Boolean(reason)))];
    return { ...withControls, status: 'not_applicable', reason: reasons.join('; ') || 'Its controls do not apply to this snapshot.' };
  }
  const partial = requirement.assessment !== 'automated' && requirement.manualEvidence ? `Kubernetes checks pass. ${requirement.manualEvidence}` : undefined;
  return { ...withControls, status: 'pass', ...(partial ? { reason: partial } : {}) };
}
