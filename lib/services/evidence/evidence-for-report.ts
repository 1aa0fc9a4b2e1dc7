import { authorize } from '../../platform/auth/permissions';
import type { OrgContext } from '../../platform/auth/context';
import { dbFor } from '../../platform/db/tenant';
import type { EvidenceKind } from './schemas';

/** One accepted piece of evidence as a report, the SoA or OSCAL lists it (no bytes, no attestation text). */
export type ReportEvidence = {
  id: string;
  requirementId: string;
  kind: EvidenceKind;
  title: string;
  fileName: string | null;
  sha256: string | null;
  url: string | null;
  collectedAt: Date;
  validUntil: Date;
  uploadedByLabel: string;
  reviewedByLabel: string;
  reviewedAt: Date;
  /** Valid at `at` (validUntil after it); otherwise expired then. */
  current: boolean;
};

/**
 * The framework's accepted evidence as it stood at `at` (reviewed by then), requirement order then newest first:
 * what a report prints with dates, validity and reviewer, and what OSCAL references. Readable by every role
 * (evidence.read); the files themselves stay behind evidence.download.
 */
export async function evidenceForReport(ctx: OrgContext, frameworkId: string, at: Date = new Date()): Promise<ReportEvidence[]> {
  authorize(ctx, 'evidence.read');
  const rows = await dbFor(ctx).evidenceItem.findMany({
    where: { frameworkId, status: 'accepted', reviewedAt: { lte: at } },
    orderBy: [{ requirementId: 'asc' }, { collectedAt: 'desc' }],
    select: {
      id: true, requirementId: true, kind: true, title: true, fileName: true, sha256: true, url: true, collectedAt: true, validUntil: true,
      uploadedByLabel: true, reviewedByLabel: true, reviewedAt: true,
    },
  });
  return rows.map((row) => ({
    ...row,
    kind: row.kind as EvidenceKind,
    reviewedByLabel: row.reviewedByLabel ?? '',
    reviewedAt: row.reviewedAt ?? at,
    current: row.validUntil.getTime() > at.getTime(),
  }));
}
