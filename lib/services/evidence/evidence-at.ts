import { authorize } from '../../platform/auth/permissions';
import type { OrgContext } from '../../platform/auth/context';
import { dbFor } from '../../platform/db/tenant';
import { evidenceStateOf, type EvidenceState } from './evidence-state';
import type { EvidenceKind } from './schemas';

/** One piece of evidence as it stood at a moment (reports): its review only counts if it happened by then. */
export type EvidenceAt = {
  id: string;
  requirementId: string;
  kind: EvidenceKind;
  title: string;
  fileName: string | null;
  contentType: string | null;
  sizeBytes: number | null;
  sha256: string | null;
  url: string | null;
  ownerUserId: string | null;
  uploadedByLabel: string;
  collectedAt: Date;
  validUntil: Date;
  /** At `at`: accepted and valid, accepted and past its validity, not reviewed yet, or rejected. */
  status: 'accepted' | 'expired' | 'pending' | 'rejected';
  reviewedByLabel: string | null;
  reviewedAt: Date | null;
};

/**
 * A framework's evidence as it stood at `at` (a report's period end): items added by then, in requirement order
 * then newest collection first, each with the review it had by then (a later review reads as pending), and the
 * evidence state of every requirement that had evidence or an open request then. Same rule as evidenceStates.
 */
export async function evidenceAt(ctx: OrgContext, frameworkId: string, at: Date): Promise<{ items: EvidenceAt[]; states: Map<string, EvidenceState> }> {
  authorize(ctx, 'evidence.read');
  const db = dbFor(ctx);
  const [rows, requests] = await Promise.all([
    db.evidenceItem.findMany({
      where: { frameworkId, createdAt: { lte: at } },
      orderBy: [{ requirementId: 'asc' }, { collectedAt: 'desc' }, { id: 'asc' }],
      select: {
        id: true, requirementId: true, kind: true, title: true, fileName: true, contentType: true, sizeBytes: true, sha256: true, url: true,
        ownerUserId: true, uploadedByLabel: true, collectedAt: true, validUntil: true, status: true, reviewedByLabel: true, reviewedAt: true,
      },
    }),
    db.evidenceRequest.findMany({
      where: { frameworkId, createdAt: { lte: at }, OR: [{ closedAt: null }, { closedAt: { gt: at } }] },
      select: { requirementId: true },
    }),
  ]);
  const items: EvidenceAt[] = rows.map((row) => {
    const reviewed = row.reviewedAt !== null && row.reviewedAt.getTime() <= at.getTime() && row.status !== 'pending';
    const status: EvidenceAt['status'] = !reviewed ? 'pending'
      : row.status === 'rejected' ? 'rejected'
        : row.validUntil.getTime() <= at.getTime() ? 'expired' : 'accepted';
    return {
      ...row, kind: row.kind as EvidenceKind, status,
      reviewedByLabel: reviewed ? row.reviewedByLabel : null, reviewedAt: reviewed ? row.reviewedAt : null,
    };
  });
  const open = new Map<string, number>();
  for (const request of requests) open.set(request.requirementId, (open.get(request.requirementId) ?? 0) + 1);
  const states = new Map<string, EvidenceState>();
  for (const requirementId of new Set([...items.map((i) => i.requirementId), ...open.keys()])) {
    const mine = items.filter((i) => i.requirementId === requirementId && (i.status === 'accepted' || i.status === 'expired'));
    states.set(requirementId, evidenceStateOf(mine.map((i) => ({ status: 'accepted', validUntil: i.validUntil })), open.get(requirementId) ?? 0, at));
  }
  return { items, states };
}
