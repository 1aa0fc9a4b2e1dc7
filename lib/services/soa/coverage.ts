import { describeCoverage, summarizeCompliance, type ComplianceSummary } from '../../analysis/frameworks/compliance-status';
import { findFramework, frameworkTitle, type FrameworkId } from '../../analysis/frameworks';
import { authorize } from '../../platform/auth/permissions';
import type { OrgContext } from '../../platform/auth/context';
import { dbFor } from '../../platform/db/tenant';
import { organizationAutomatedResultsByFramework } from './automated-results';
import { draftDecisions } from './decisions';
import { evidenceStatesFor } from './evidence-adapter';
import { combineSoa } from './statuses';

/** What a framework calls its requirements in a coverage sentence: CIS has items, the others requirements. */
export function coverageNoun(frameworkId: FrameworkId): string {
  return frameworkId.startsWith('cis-') ? 'items' : 'requirements';
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
  const known = frameworkIds.filter((id) => findFramework(id));
  const evidence = new Map(await Promise.all(known.map(async (id) => [id, await evidenceStatesFor(ctx, id)] as const)));
  const { automated, decisions } = await dbFor(ctx).$transaction(async (tx) => {
    const byFramework = await organizationAutomatedResultsByFramework(tx, known);
    const drafts = new Map<FrameworkId, Awaited<ReturnType<typeof draftDecisions>>>();
    for (const id of known) drafts.set(id, await draftDecisions(tx, id));
    return { automated: byFramework, decisions: drafts };
  }, { timeout: 30_000 });
  return known.map((frameworkId) => {
    const requirements = combineSoa(frameworkId, decisions.get(frameworkId) ?? new Map(), automated.get(frameworkId) ?? new Map(), evidence.get(frameworkId) ?? new Map());
    const summary = summarizeCompliance(requirements.map((r) => r.status));
    return { frameworkId, frameworkName: frameworkTitle(frameworkId), summary, coverage: describeCoverage(summary, coverageNoun(frameworkId)) };
  });
}
