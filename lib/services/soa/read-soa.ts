import { describeCoverage, summarizeCompliance, type ComplianceSummary } from '../../analysis/frameworks/compliance-status';
import { findFramework, frameworkTitle, type FrameworkId } from '../../analysis/frameworks';
import { authorize } from '../../platform/auth/permissions';
import type { OrgContext } from '../../platform/auth/context';
import { dbFor } from '../../platform/db/tenant';
import { AppError } from '../../platform/errors';
import { isUuid } from '../../platform/input';
import { organizationAutomatedResults } from './automated-results';
import { coverageNoun } from './coverage';
import { changedRequirements, completeDecisions, draftDecisions, storedDecisions, VERSION_SELECT, versionSummary } from './decisions';
import { evidenceStatesFor } from './evidence-adapter';
import { combineSoa } from './statuses';
import type { SoaDecision, SoaRequirement, SoaVersionSummary } from './types';

export type SoaView = {
  frameworkId: FrameworkId;
  frameworkName: string;
  /** Every requirement with its draft decision (the default where nobody decided), results and status. */
  requirements: SoaRequirement[];
  summary: ComplianceSummary;
  /** "automated 9.5% of 21 assessed requirements; 18 with evidence; 54 not assessed" */
  coverage: string;
  /** Requirements whose draft decision differs from the latest approved version (all decided ones before the first). */
  changed: string[];
  latest: SoaVersionSummary | null;
  /** Newest first. */
  versions: SoaVersionSummary[];
};

export function frameworkOrNotFound(frameworkId: string): NonNullable<ReturnType<typeof findFramework>> {
  const framework = findFramework(frameworkId as FrameworkId);
  if (!framework) throw new AppError('not_found', 'Framework not found');
  return framework;
}

/** The framework's Statement of Applicability as it stands (the draft), with each requirement's status now. */
export async function getSoa(ctx: OrgContext, frameworkId: FrameworkId): Promise<SoaView> {
  authorize(ctx, 'soa.read');
  const framework = frameworkOrNotFound(frameworkId);
  const evidence = await evidenceStatesFor(ctx, frameworkId);
  return dbFor(ctx).$transaction(async (tx) => {
    const [decided, automated, versionRows] = await Promise.all([
      draftDecisions(tx, frameworkId),
      organizationAutomatedResults(tx, frameworkId),
      tx.soaVersion.findMany({ where: { frameworkId }, orderBy: { version: 'desc' }, select: VERSION_SELECT }),
    ]);
    const latestRow = versionRows[0]
      ? await tx.soaVersion.findUnique({ where: { id: versionRows[0].id }, select: { decisions: true } })
      : null;
    const requirements = combineSoa(frameworkId, decided, automated, evidence);
    const summary = summarizeCompliance(requirements.map((r) => r.status));
    const versions = versionRows.map(versionSummary);
    return {
      frameworkId,
      frameworkName: frameworkTitle(framework.id),
      requirements,
      summary,
      coverage: describeCoverage(summary, coverageNoun(frameworkId)),
      changed: changedRequirements(latestRow ? storedDecisions(latestRow.decisions) : null, completeDecisions(frameworkId, decided)),
      latest: versions[0] ?? null,
      versions,
    };
  }, { timeout: 30_000 });
}

/** One approved version with its decisions as approved; another organization's (or no such) version is not found. */
export async function getSoaVersion(ctx: OrgContext, versionId: string): Promise<SoaVersionSummary & { frameworkId: FrameworkId; decisions: SoaDecision[] }> {
  authorize(ctx, 'soa.read');
  if (!isUuid(versionId)) throw new AppError('not_found', 'SoA version not found');
  const row = await dbFor(ctx).soaVersion.findUnique({ where: { id: versionId }, select: { ...VERSION_SELECT, frameworkId: true, decisions: true } });
  if (!row) throw new AppError('not_found', 'SoA version not found');
  return { ...versionSummary(row), frameworkId: row.frameworkId as FrameworkId, decisions: storedDecisions(row.decisions) };
}

/** The members who may own a requirement (owners, admins and members: the people who do the work), by name. */
export async function listSoaOwnerCandidates(ctx: OrgContext): Promise<{ userId: string; label: string; role: string }[]> {
  authorize(ctx, 'soa.read');
  const members = await dbFor(ctx).membership.findMany({
    where: { role: { in: ['OWNER', 'ADMIN', 'MEMBER'] } },
    select: { userId: true, role: true, user: { select: { name: true, email: true } } },
  });
  return members
    .map((m) => ({ userId: m.userId, role: m.role, label: m.user.name?.trim() || m.user.email }))
    .sort((a, b) => a.label.localeCompare(b.label));
}
