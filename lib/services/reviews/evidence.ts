import type { OrgContext } from '../../platform/auth/context';
import { dbFor } from '../../platform/db/tenant';
import { describeRight } from './rights';

/** The ISO 27001:2022 requirements a completed access review is evidence for. */
export const ACCESS_REVIEW_REQUIREMENTS = ['A.5.15', 'A.5.18', 'A.8.2'] as const;

/** One decision as a report shows it: who reviewed what and when, the reason, and whether a revocation was carried out. */
export type ReviewEvidenceItem = {
  cluster: string;
  subject: string;
  right: string;
  risks: string[];
  isNew: boolean;
  decision: 'keep' | 'revoke';
  reason: string | null;
  decidedBy: string;
  decidedAt: string;
  /** For a revocation: 'carried out' (a later snapshot no longer granted it), 'overdue' or 'open'. */
  revocation: 'carried out' | 'overdue' | 'open' | null;
  revocationClosedAt: string | null;
};

/** A completed campaign in a report (plain data: the renderers are pure). */
export type ReviewEvidence = {
  id: string;
  name: string;
  scope: string;
  clusters: string[];
  startedAt: string;
  startedBy: string;
  dueAt: string;
  completedAt: string;
  signedOffBy: string;
  summary: string;
  totals: { items: number; kept: number; revoked: number; carriedOut: number; overdue: number; newItems: number };
  items: ReviewEvidenceItem[];
};

/** At most this many decisions per campaign in a report (the CSV and the archive keep the first ones, privileged first). */
export const MAX_EVIDENCE_ITEMS = 2000;

/**
 * The campaigns signed off within the report's period, oldest first, with every decision (privileged first): the
 * evidence ISO 27001 A.5.15, A.5.18 and A.8.2 ask for (access rights reviewed periodically, decisions kept, removals
 * carried out). Read through the organization's tenant client.
 */
export async function campaignsForReport(ctx: OrgContext, period: { start: Date; end: Date }, now: Date = new Date()): Promise<ReviewEvidence[]> {
  const db = dbFor(ctx);
  const campaigns = await db.accessReviewCampaign.findMany({
    where: { status: 'completed', completedAt: { gte: period.start, lte: period.end } },
    orderBy: { completedAt: 'asc' }, take: 20,
  });
  const result: ReviewEvidence[] = [];
  for (const campaign of campaigns) {
    const items = await db.accessReviewItem.findMany({
      where: { campaignId: campaign.id }, take: MAX_EVIDENCE_ITEMS,
      orderBy: [{ privileged: 'desc' }, { clusterName: 'asc' }, { subjectName: 'asc' }, { id: 'asc' }],
    });
    const total = await db.accessReviewItem.count({ where: { campaignId: campaign.id } });
    const view = items.map((item): ReviewEvidenceItem => {
      const revocation = item.revocationStatus === 'done' ? 'carried out' as const
        : item.revocationStatus === 'open' ? (item.revocationDueAt && item.revocationDueAt < now ? 'overdue' as const : 'open' as const) : null;
      return {
        cluster: item.clusterName,
        subject: `${item.subjectKind} ${item.subjectNamespace ? `${item.subjectNamespace}/` : ''}${item.subjectName}`,
        right: describeRight(item),
        risks: item.risks,
        isNew: item.isNew,
        decision: item.decision === 'revoke' ? 'revoke' : 'keep',
        reason: item.reason,
        decidedBy: item.decidedByLabel ?? 'unknown',
        decidedAt: (item.decidedAt ?? campaign.completedAt ?? campaign.createdAt).toISOString(),
        revocation,
        revocationClosedAt: item.revocationClosedAt?.toISOString() ?? null,
      };
    });
    const clusterNames = [...new Set(items.map((i) => i.clusterName))];
    result.push({
      id: campaign.id, name: campaign.name, scope: campaign.scope === 'all' ? 'every subject' : 'privileged rights', clusters: clusterNames,
      startedAt: campaign.createdAt.toISOString(), startedBy: campaign.createdByLabel, dueAt: campaign.dueAt.toISOString(),
      completedAt: (campaign.completedAt ?? campaign.createdAt).toISOString(), signedOffBy: campaign.completedByLabel ?? 'unknown', summary: campaign.summary ?? '',
      totals: {
        items: total,
        kept: view.filter((i) => i.decision === 'keep').length,
        revoked: view.filter((i) => i.decision === 'revoke').length,
        carriedOut: view.filter((i) => i.revocation === 'carried out').length,
        overdue: view.filter((i) => i.revocation === 'overdue').length,
        newItems: view.filter((i) => i.isNew).length,
      },
      items: view,
    });
  }
  return result;
}
