import { z } from 'zod';
import { authorize } from '../../platform/auth/permissions';
import type { OrgContext } from '../../platform/auth/context';
import { dbFor } from '../../platform/db/tenant';
import { AppError } from '../../platform/errors';
import { summarizeObjectCounts } from './snapshot-counts';
import { frameworkIdsForCis } from '../../analysis/frameworks';
import { getCisBenchmark } from '../orgs/settings';

export async function listClusters(ctx: OrgContext) {
  authorize(ctx, 'cluster.read');
  return dbFor(ctx).cluster.findMany({
    // Active clusters first, archived ones after (NULLs sort first ascending).
    orderBy: [{ archivedAt: { sort: 'asc', nulls: 'first' } }, { name: 'asc' }],
    select: { id: true, name: true, provider: true, serverVersion: true, agentVersion: true, lastSnapshotAt: true, lastCollectedAt: true, lastEvaluatedAt: true, staleSince: true, createdAt: true, reportingIntervalSeconds: true, environment: true, labels: true, archivedAt: true },
  });
}

/**
 * A cluster with its recent snapshots (with object, workload and Pod counts), tokens (prefix only), latest
 * scores of the organization's frameworks (its CIS version, named in `cis`, ISO, NSA) and open findings by severity.
 */
export async function getCluster(ctx: OrgContext, clusterId: string) {
  authorize(ctx, 'cluster.read');
  if (!z.uuid().safeParse(clusterId).success) throw new AppError('not_found', 'Cluster not found');
  const db = dbFor(ctx);
  const cluster = await db.cluster.findUnique({ where: { id: clusterId } });
  if (!cluster) throw new AppError('not_found', 'Cluster not found');
  const cis = await getCisBenchmark(ctx);
  const frameworkIds = frameworkIdsForCis(cis.version);
  const [snapshots, tokens, scores, severities] = await Promise.all([
    db.snapshot.findMany({
      where: { clusterId }, orderBy: { collectedAt: 'desc' }, take: 15,
      select: { id: true, collectedAt: true, receivedAt: true, status: true, error: true, rawBytes: true, agentVersion: true, objectCounts: true, evaluatedAt: true, prunedAt: true },
    }),
    db.agentToken.findMany({ where: { clusterId }, orderBy: { createdAt: 'desc' }, select: { id: true, prefix: true, createdAt: true, lastUsedAt: true, revokedAt: true } }),
    Promise.all(frameworkIds.map((frameworkId) => db.scorePoint.findFirst({ where: { clusterId, frameworkId }, orderBy: { at: 'desc' } }))),
    db.finding.groupBy({ by: ['severity'], where: { clusterId, status: { in: ['OPEN', 'ACKNOWLEDGED'] } }, _count: { _all: true } }),
  ]);
  const evaluation = cluster.currentEvaluationId
    ? await db.evaluationRun.findUnique({ where: { id: cluster.currentEvaluationId }, select: { id: true, finishedAt: true, durationMs: true, findingsTotal: true, findingsOpened: true, findingsResolved: true, findingsReopened: true, catalogVersion: true, parseErrors: true } })
    : null;
  return {
    cluster, tokens, cis, frameworkIds, scores: scores.filter((s) => s !== null), severities, evaluation,
    snapshots: snapshots.map((snapshot) => ({ ...snapshot, counts: summarizeObjectCounts(snapshot.objectCounts) })),
  };
}
