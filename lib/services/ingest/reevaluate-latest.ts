import type { OrgContext } from '../../platform/auth/context';
import { insertReevaluationSnapshot } from '../../platform/db/node-reports-sql';
import { dbFor } from '../../platform/db/tenant';
import { isUniqueViolation } from '../../platform/db/unique-violation';
import { logger } from '../../platform/log';
import { tryEnqueue } from './ingest-snapshot';

const log = logger.child({ component: 'ingest' });

/**
 * Makes a cluster's latest stored objects be evaluated again, for a change the pipeline reads when a snapshot starts
 * (node reports, the organization's custom controls). When a snapshot of the cluster is still QUEUED it will read the
 * change, so nothing more is needed. Otherwise a new snapshot row reuses the latest one's body (copied by Postgres)
 * and takes the ordinary evaluation queue (fair per organization) and outbox. `purpose` keys the copy per base
 * snapshot, so many changes at once make one or two evaluations, not one each. Null for a cluster without snapshots.
 */
export async function reevaluateLatestSnapshot(
  ctx: OrgContext,
  clusterId: string,
  purpose: 'node-reports' | 'custom-controls',
  logFields: Record<string, unknown>,
): Promise<{ snapshotId: string; queued: boolean } | null> {
  const db = dbFor(ctx);
  for (let attempt = 0; attempt < 3; attempt++) {
    const latest = await db.snapshot.findFirst({
      where: { clusterId, status: { in: ['QUEUED', 'EVALUATING', 'DONE'] }, prunedAt: null },
      orderBy: { collectedAt: 'desc' },
      select: { id: true, status: true },
    });
    if (!latest) return null;
    if (latest.status === 'QUEUED') return { snapshotId: latest.id, queued: true };
    let row: { id: string } | null;
    try {
      row = await db.$transaction((tx) => insertReevaluationSnapshot(tx, ctx.organizationId, clusterId, { baseSnapshotId: latest.id, idempotencyKey: `${purpose}:${latest.id}` }));
    } catch (error) {
      // Another change copied the same base a moment ago: look again (that copy is queued, or running).
      if (isUniqueViolation(error)) continue;
      throw error;
    }
    if (!row) return null;
    const enqueued = await tryEnqueue(ctx, row.id);
    log.info({ organizationId: ctx.organizationId, clusterId, snapshotId: row.id, baseSnapshotId: latest.id, purpose, ...logFields, enqueued }, 'cluster re-evaluation queued');
    return { snapshotId: row.id, queued: true };
  }
  return null;
}
