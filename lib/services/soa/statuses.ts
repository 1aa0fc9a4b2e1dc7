import { complianceStatus, type AutomatedResult, type EvidenceState } from '../../analysis/frameworks/compliance-status';
import { findFramework, listRequirementControls, type FrameworkId } from '../../analysis/frameworks';
import type { RequirementResult } from '../../analysis/engine';
import type { SoaDecision, SoaRequirement } from './types';

/** What the clusters say about a requirement, in the vocabulary's terms (pure). */
export function automatedResultOf(result: Pick<RequirementResult, 'status' | 'acceptedControlIds'> | undefined): AutomatedResult {
  if (!result) return 'none';
  if (result.status === 'fail') return 'fail';
  if (result.status === 'provider_responsibility') return 'provider';
  if (result.status === 'pass') return result.acceptedControlIds.length > 0 ? 'accepted' : 'pass';
  return 'none'; // manual, or no control of it applied to the clusters: nothing decided it
}

/** The default decision of a requirement nobody decided yet: applicable. */
export function defaultDecision(requirementId: string): SoaDecision {
  return { requirementId, applicability: 'applicable', decided: false, justification: null, implementationStatus: null, owner: null, decidedBy: null, decidedAt: null };
}

/**
 * Every requirement of the framework, in framework order, with its decision (the default where there is none), what
 * the clusters and the evidence say, and its status by the vocabulary's rule (complianceStatus). Pure: the report
 * helpers call it with the results of their own period.
 */
export function combineSoa(
  frameworkId: FrameworkId,
  decisions: ReadonlyMap<string, SoaDecision>,
  automated: ReadonlyMap<string, AutomatedResult>,
  evidence: ReadonlyMap<string, EvidenceState>,
): SoaRequirement[] {
  const framework = findFramework(frameworkId);
  if (!framework) return [];
  const controls = listRequirementControls(frameworkId);
  return framework.requirements.map((requirement) => {
    const decision = decisions.get(requirement.id) ?? defaultDecision(requirement.id);
    const assessedByBulwark = !requirement.notApplicableReason && requirement.assessment !== 'manual' && (controls.get(requirement.id)?.length ?? 0) > 0;
    const automatedResult = automated.get(requirement.id) ?? 'none';
    const evidenceState = evidence.get(requirement.id) ?? 'none';
    return {
      ...decision,
      title: requirement.title,
      assessment: requirement.assessment,
      assessedByBulwark,
      note: requirement.notApplicableReason ?? requirement.manualEvidence ?? null,
      automated: automatedResult,
      evidence: evidenceState,
      status: complianceStatus({ applicability: decision.applicability, assessment: requirement.assessment, automated: automatedResult, evidence: evidenceState }),
    };
  });
}

/** The fields an approval fixes: what a draft is compared on (not who saved it when). */
export function decisionKey(decision: SoaDecision): string {
  return JSON.stringify([decision.requirementId, decision.applicability, decision.justification, decision.implementationStatus, decision.owner?.userId ?? null]);
}
