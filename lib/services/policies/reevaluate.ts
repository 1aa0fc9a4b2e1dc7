import type { OrgContext } from '../../platform/auth/context';
import { Prisma } from '../../platform/db/client';
import { insertReevaluationSnapshot } from '../../platform/db/node-reports-sql';
import { dbFor } from '../../platform/db/tenant';
import { logger } from '../../platform/log';
import { tryEnqueue } from '../ingest/ingest-snapshot';

const log = logger.child({ component: 'custom-controls' });

/** A unique index refused the row: P2002 from the client, P2010 with Postgres' 23505 from a raw statement. */
function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return false;
  return error.code === 'P2002' || (error.code === 'P2010' && JSON.stringify(error.meta ?? {}).includes('23505'));
}

export type Reevaluation = { clusterId: string; snapshotId: string; queued: boolean };

/**
 * Makes a change to the organization's custom controls (enabled, disabled, a new version of an enabled one) show
 * without waiting for the clusters' next snapshots: each active cluster's latest stored objects are evaluated again
 * through the ordinary evaluation queue (fair per organization) and outbox, as node reports do
 * (ingest/ingest-node-report.ts). The pipeline reads the enabled controls after it marks a snapshot EVALUATING, so:
 * - a cluster whose latest snapshot is still QUEUED needs nothing (it will read the change);
 * - otherwise a new snapshot row reuses the latest one's body (copied by Postgres, 1 ms later) and is queued.
 * Called after the change committed. Never throws for a cluster: a failed enqueue is left to the outbox sweeper.
 */
export async function reevaluateLatestSnapshots(ctx: OrgContext, reason: string): Promise<Reevaluation[]> {
  const db = dbFor(ctx);
  const clusters = await db.cluster.findMany({ where: { archivedAt: null }, select: { id: true }, orderBy: { createdAt: 'asc' }, take: 1000 });
  const queued: Reevaluation[] = [];
  for (const cluster of clusters) {
    const one = await reevaluateCluster(ctx, cluster.id, reason).catch((error: unknown) => {
      log.warn({ organizationId: ctx.organizationId, clusterId: cluster.id, err: (error as Error).message }, 'could not queue a re-evaluation for a custom control change');
      return null;
    });
    if (one) queued.push(one);
  }
  return queued;
}

async function reevaluateCluster(ctx: OrgContext, clusterId: string, reason: string): Promise<Reevaluation | null> {
  const db = dbFor(ctx);
  for (let attempt = 0; attempt < 3; attempt++) {
    const latest = await db.snapshot.findFirst({
      where: { clusterId, status: { in: ['QUEUED', 'EVALUATING', 'DONE'] }, prunedAt: null },
      orderBy: { collectedAt: 'desc' },
      select: { id: true, status: true },
    });
    if (!latest) return null;
    if (latest.status === 'QUEUED') return { clusterId, snapshotId: latest.id, queued: true };
    let row: { id: string } | null;
    try {
      row = await db.$transaction((tx) => insertReevaluationSnapshot(tx, ctx.organizationId, clusterId, { baseSnapshotId: latest.id, idempotencyKey: `custom-controls:${latest.id}` }));
    } catch (error) {
      // Another change copied the same base a moment ago: look again (that copy is queued, or running).
      if (isUniqueViolation(error)) continue;
      throw error;
    }
    if (!row) return null;
    const enqueued = await tryEnqueue(ctx, row.id);
    log.info({ organizationId: ctx.organizationId, clusterId, snapshotId: row.id, baseSnapshotId: latest.id, reason, enqueued }, 'cluster re-evaluation queued for a custom control change');
    return { clusterId, snapshotId: row.id, queued: true };
  }
  return null;
}
