import { describeCoverage, summarizeCompliance, type ComplianceSummary } from '../../analysis/frameworks/compliance-status';
import { findFramework, type FrameworkId } from '../../analysis/frameworks';
import { authorize } from '../../platform/auth/permissions';
import type { OrgContext } from '../../platform/auth/context';
import { dbFor } from '../../platform/db/tenant';
import { organizationAutomatedResults } from './automated-results';
import { draftDecisions } from './decisions';
import { evidenceStatesFor } from './evidence-adapter';
import { combineSoa } from './statuses';

/** What a framework calls its requirements in a coverage sentence: CIS has items, the others requirements. */
export function coverageNoun(frameworkId: FrameworkId): string {
  return frameworkId === 'cis-k8s-1.9' ? 'items' : 'requirements';
}

export type FrameworkCoverage = {
  frameworkId: FrameworkId;
  frameworkName: string;
  summary: ComplianceSummary;
  /** "automated 9.5% of 21 assessed requirements; 18 with evidence; 54 not assessed" */
  coverage: string;
};

/**
 * What each framework's score covers for the organization now, by the status vocabulary: the SoA's decisions
 * (draft), the clusters' results and the evidence. For the dashboard and the framework pages.
 */
export async function frameworkCoverage(ctx: OrgContext, frameworkIds: readonly FrameworkId[]): Promise<FrameworkCoverage[]> {
  authorize(ctx, 'soa.read');
  const out: FrameworkCoverage[] = [];
  for (const frameworkId of frameworkIds) {
    const framework = findFramework(frameworkId);
    if (!framework) continue;
    const evidence = await evidenceStatesFor(ctx, frameworkId);
    const requirements = await dbFor(ctx).$transaction(async (tx) =>
      combineSoa(frameworkId, await draftDecisions(tx, frameworkId), await organizationAutomatedResults(tx, frameworkId), evidence), { timeout: 30_000 });
    const summary = summarizeCompliance(requirements.map((r) => r.status));
    out.push({ frameworkId, frameworkName: framework.name, summary, coverage: describeCoverage(summary, coverageNoun(frameworkId)) });
  }
  return out;
}
