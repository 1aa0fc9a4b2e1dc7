import { describeCoverage, summarizeCompliance, type ComplianceSummary } from '../../analysis/frameworks/compliance-status';
import type { FrameworkId } from '../../analysis/frameworks';
import { authorize } from '../../platform/auth/permissions';
import type { OrgContext } from '../../platform/auth/context';
import { dbFor } from '../../platform/db/tenant';
import { organizationAutomatedResults } from './automated-results';
import { coverageNoun } from './coverage';
import { changedRequirements, completeDecisions, draftDecisions, storedDecisions, VERSION_SELECT, versionSummary } from './decisions';
import { evidenceStatesFor } from './evidence-adapter';
import { frameworkOrNotFound } from './read-soa';
import { combineSoa } from './statuses';
import type { SoaRequirement, SoaVersionSummary } from './types';

export type SoaForReport = {
  frameworkId: FrameworkId;
  frameworkName: string;
  /** The version in force at `at`: the latest approved on or before it; null when none was approved by then. */
  version: SoaVersionSummary | null;
  /** True when no version was approved by `at`: the decisions are the current draft, not approved (say so). */
  draft: boolean;
  /** Requirements whose current draft decision differs from `version` (approved later, or not approved yet). */
  unapprovedChanges: string[];
  /** Every requirement, framework order: the decision of `version` (or of the draft), and the status now. */
  requirements: SoaRequirement[];
  summary: ComplianceSummary;
  /** "automated 9.5% of 21 assessed requirements; 18 with evidence; 54 not assessed" */
  coverage: string;
};

/**
 * The Statement of Applicability for a report: the version approved at `at` (default now), or the draft flagged as
 * such when none was; each requirement's decision, justification, owner and status. The status combines the
 * version's decision with the clusters' current results and the evidence now; a report over another period can
 * recompute it with combineSoa (statuses.ts) from its own results.
 */
export async function soaForReport(ctx: OrgContext, frameworkId: FrameworkId, at: Date = new Date()): Promise<SoaForReport> {
  authorize(ctx, 'soa.read');
  const framework = frameworkOrNotFound(frameworkId);
  const evidence = await evidenceStatesFor(ctx, frameworkId);
  return dbFor(ctx).$transaction(async (tx) => {
    const row = await tx.soaVersion.findFirst({
      where: { frameworkId, approvedAt: { lte: at } }, orderBy: { version: 'desc' }, select: { ...VERSION_SELECT, decisions: true },
    });
    const draft = completeDecisions(frameworkId, await draftDecisions(tx, frameworkId));
    const approved = row ? storedDecisions(row.decisions) : null;
    const decisions = new Map((approved ?? draft).map((d) => [d.requirementId, d]));
    const requirements = combineSoa(frameworkId, decisions, await organizationAutomatedResults(tx, frameworkId), evidence);
    const summary = summarizeCompliance(requirements.map((r) => r.status));
    return {
      frameworkId,
      frameworkName: framework.name,
      version: row ? versionSummary(row) : null,
      draft: !row,
      unapprovedChanges: changedRequirements(approved, draft),
      requirements,
      summary,
      coverage: describeCoverage(summary, coverageNoun(frameworkId)),
    };
  }, { timeout: 30_000 });
}
