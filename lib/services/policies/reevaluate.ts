import type { OrgContext } from '../../platform/auth/context';
import { dbFor } from '../../platform/db/tenant';
import { logger } from '../../platform/log';
import { reevaluateLatestSnapshot } from '../ingest/reevaluate-latest';

const log = logger.child({ component: 'custom-controls' });

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
  const one = await reevaluateLatestSnapshot(ctx, clusterId, 'custom-controls', { reason });
  return one ? { clusterId, ...one } : null;
}
