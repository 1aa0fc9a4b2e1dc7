/**
 * When a finding was last seen.
 *
 * A finding that is not resolved is, by construction, present in its cluster's latest evaluation: reconciliation
 * resolves whatever the latest snapshot no longer contains. So its exact "last seen" is the cluster's
 * lastEvaluatedAt, and the evaluation does not rewrite every open row to say so: the stored lastSeenAt of an
 * open finding is refreshed at most once per LAST_SEEN_REFRESH_MS (like the kernel's relatime), which keeps an
 * unchanged re-push from rewriting tens of thousands of rows and their indexes, and keeps the "last seen" sort
 * (which reads the stored column through an index) within that window of the exact order. A finding that is
 * resolved keeps the time of the last evaluation that saw it.
 */
export const LAST_SEEN_REFRESH_MS = 60 * 60_000;

type StoredLastSeen = { status: string; lastSeenAt: Date };

/** The exact last-seen time of a finding, given its cluster's last evaluation. */
export function effectiveLastSeen(finding: StoredLastSeen, clusterLastEvaluatedAt: Date | null): Date {
  if (finding.status === 'RESOLVED' || !clusterLastEvaluatedAt) return finding.lastSeenAt;
  return clusterLastEvaluatedAt > finding.lastSeenAt ? clusterLastEvaluatedAt : finding.lastSeenAt;
}

/** Whether an evaluation at seenAt should rewrite a still-open finding's stored lastSeenAt. */
export function lastSeenNeedsRefresh(stored: Date, seenAt: Date): boolean {
  return seenAt.getTime() - stored.getTime() >= LAST_SEEN_REFRESH_MS;
}
