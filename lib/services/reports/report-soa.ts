import { describeCoverage, summarizeCompliance, type AutomatedResult, type ComplianceStatus, type EvidenceState } from '../../analysis/frameworks/compliance-status';
import type { FrameworkId } from '../../analysis/frameworks';
import type { OrgContext } from '../../platform/auth/context';
import { evidenceAt } from '../evidence/evidence-at';
import { coverageNoun } from '../soa/coverage';
import { soaForReport } from '../soa/soa-for-report';
import { combineSoa } from '../soa/statuses';
import { IMPLEMENTATION_LABELS, type SoaDecision } from '../soa/types';
import type { People } from './people';
import type { ReportEvidence, ReportRequirement, ReportSoa } from './render/types';

export type RequirementCompliance = Pick<ReportRequirement, 'complianceStatus' | 'applicability' | 'decided' | 'justification' | 'owner' | 'implementationStatus' | 'evidence'>;

export type ReportCompliance = {
  soa: ReportSoa;
  byRequirement: Map<string, RequirementCompliance>;
  evidence: ReportEvidence[];
};

/**
 * The Statement of Applicability and the evidence as a report shows them at its period end: the SoA version
 * approved by then (or the draft, flagged), each requirement's status by the vocabulary from that decision, the
 * report's own control results (`automated`, at the period end) and the evidence as it stood then (reviews after the
 * period end do not count), and the evidence items themselves (no bytes).
 */
export async function complianceAt(ctx: OrgContext, frameworkId: FrameworkId, at: Date, automated: ReadonlyMap<string, AutomatedResult>, people: People): Promise<ReportCompliance> {
  const [soa, evidence] = await Promise.all([soaForReport(ctx, frameworkId, at), evidenceAt(ctx, frameworkId, at)]);
  const decisions = new Map<string, SoaDecision>(soa.requirements.map((r) => [r.requirementId, r]));
  const combined = combineSoa(frameworkId, decisions, automated, evidence.states);
  await people.load([...combined.map((r) => r.owner?.userId), ...evidence.items.map((i) => i.ownerUserId)]);
  const byRequirement = new Map<string, RequirementCompliance>(combined.map((r) => [r.requirementId, {
    complianceStatus: r.status,
    applicability: r.applicability,
    decided: r.decided,
    justification: r.justification,
    // The SoA keeps the label the owner had when chosen; a member still in the organization shows with today's name.
    owner: r.owner ? (r.owner.userId ? people.user(r.owner.userId, r.owner.label) : r.owner.label) : null,
    implementationStatus: r.implementationStatus ? IMPLEMENTATION_LABELS[r.implementationStatus] : null,
    evidence: r.evidence as EvidenceState,
  }]));
  const summary = summarizeCompliance(combined.map((r) => r.status as ComplianceStatus));
  return {
    soa: {
      version: soa.version ? { number: soa.version.version, approvedBy: soa.version.approvedBy.label, approvedAt: soa.version.approvedAt.toISOString(), digest: soa.version.digest } : null,
      draft: soa.draft,
      unapprovedChanges: soa.unapprovedChanges,
      coverage: describeCoverage(summary, coverageNoun(frameworkId)),
      byStatus: summary.byStatus,
    },
    byRequirement,
    evidence: evidence.items.map((item) => ({
      id: item.id, requirementId: item.requirementId, kind: item.kind, title: item.title, fileName: item.fileName, contentType: item.contentType,
      sizeBytes: item.sizeBytes, sha256: item.sha256, url: item.url, owner: item.ownerUserId ? people.user(item.ownerUserId, 'former member') : null,
      uploadedBy: item.uploadedByLabel, collectedAt: item.collectedAt.toISOString(), validUntil: item.validUntil.toISOString(), status: item.status,
      reviewedBy: item.reviewedByLabel, reviewedAt: item.reviewedAt?.toISOString() ?? null,
    })),
  };
}
