import { AppError } from '../../platform/errors';
import { env } from '../../platform/env';
import { dbFor } from '../../platform/db/tenant';
import { Prisma } from '../../platform/db/client';
import { logger } from '../../platform/log';
import type { OrgContext } from '../../platform/auth/context';
import { MAX_NODE_REPORT_COMPRESSED_BYTES, MAX_NODE_REPORT_DECOMPRESSED_BYTES } from '../../analysis/snapshot/node-report';
import { readWire } from './read-body';
import { intakePool } from './intake-pool';
import { refuseFutureCollection, type IngestRequest } from './ingest-snapshot';
import { isUniqueViolation } from '../../platform/db/unique-violation';
import { reevaluateLatestSnapshot } from './reevaluate-latest';

const log = logger.child({ component: 'ingest' });

export type NodeReportIngestResult = {
  nodeReportId: string;
  nodeName: string;
  /** stored: new or changed (the cluster is re-evaluated); unchanged: same content, its time moved on; stale: older than the one held. */
  status: 'stored' | 'unchanged' | 'stale';
  /** The evaluation the report triggers: a new snapshot row of the latest objects, or the one already queued. */
  evaluation: { snapshotId: string; queued: boolean } | null;
};

/**
 * Accepts one node report from an agent token: bounded read, validation in the intake pool (schema, credential
 * finder; 400 naming paths), then one row per (cluster, node). A changed report re-evaluates the cluster's latest
 * snapshot with it (reevaluateWithNodeReports); an unchanged one only moves its collection time on.
 */
export async function ingestNodeReport(ctx: OrgContext, request: IngestRequest): Promise<NodeReportIngestResult> {
  if (ctx.actor.kind !== 'agent') throw new AppError('forbidden', 'Only an agent token can push node reports');
  const clusterId = ctx.actor.clusterId;
  const contentType = (request.contentType ?? 'application/json').split(';')[0]?.trim().toLowerCase();
  if (contentType !== 'application/json') throw new AppError('unsupported_media_type', `Content-Type must be application/json, got "${contentType}"`);

  const maxCompressed = Math.min(env().INGEST_MAX_COMPRESSED_BYTES, MAX_NODE_REPORT_COMPRESSED_BYTES);
  const maxDecompressed = Math.min(env().INGEST_MAX_DECOMPRESSED_BYTES, MAX_NODE_REPORT_DECOMPRESSED_BYTES);
  const { wire, gzip } = await readWire(request.body, request.contentEncoding, maxCompressed);
  const validated = await intakePool().validateNodeReport({ organizationId: ctx.organizationId, wire, gzip, maxDecompressedBytes: maxDecompressed });
  if (!validated.ok) throw new AppError(validated.code, validated.message, validated.issues);
  const { report, rawBytes, contentDigest } = validated;
  refuseFutureCollection(report.collectedAt);

  const db = dbFor(ctx);
  const collectedAt = new Date(report.collectedAt);
  const nodeName = report.node.name;
  const cluster = await db.cluster.findUnique({ where: { id: clusterId }, select: { id: true } });
  if (!cluster) throw new AppError('unauthenticated', 'Invalid or revoked agent token');

  const write = async (): Promise<{ id: string; status: NodeReportIngestResult['status'] }> =>
    db.$transaction(async (tx) => {
      const held = await tx.nodeReport.findUnique({
        where: { organizationId_clusterId_nodeName: { organizationId: ctx.organizationId, clusterId, nodeName } },
        select: { id: true, contentDigest: true, collectedAt: true },
      });
      if (held && held.contentDigest === contentDigest) {
        if (collectedAt > held.collectedAt) await tx.nodeReport.update({ where: { id: held.id }, data: { collectedAt, receivedAt: new Date() } });
        return { id: held.id, status: 'unchanged' as const };
      }
      // A report collected before the one held (a delayed retry) must not replace it.
      if (held && held.collectedAt >= collectedAt) return { id: held.id, status: 'stale' as const };
      const data = {
        apiVersion: report.apiVersion,
        collectorVersion: report.collector.version,
        contentDigest,
        report: report as unknown as Prisma.InputJsonValue,
        reportBytes: rawBytes,
        collectedAt,
        receivedAt: new Date(),
        changedAt: new Date(),
      };
      const row = held
        ? await tx.nodeReport.update({ where: { id: held.id }, data, select: { id: true } })
        : await tx.nodeReport.create({ data: { organizationId: ctx.organizationId, clusterId, nodeName, ...data }, select: { id: true } });
      return { id: row.id, status: 'stored' as const };
    });
  let stored;
  try {
    stored = await write();
  } catch (error) {
    // Two first reports of one node raced past findUnique: the unique index refused the second; try once more.
    if (!isUniqueViolation(error)) throw error;
    stored = await write();
  }

  const evaluation = stored.status === 'stored' ? await reevaluateWithNodeReports(ctx, clusterId, stored.id) : null;
  log.info({ organizationId: ctx.organizationId, clusterId, nodeReportId: stored.id, status: stored.status, rawBytes, evaluation }, 'node report accepted');
  return { nodeReportId: stored.id, nodeName, status: stored.status, evaluation };
}

/**
 * Makes the cluster's latest objects be evaluated again with the node reports now stored. When a snapshot of the
 * cluster is still queued, it will read them when it starts (the pipeline loads node reports after marking it
 * EVALUATING), so nothing more is needed. Otherwise a new snapshot row reuses the latest one's body (copied by
 * Postgres) and takes the ordinary evaluation queue and outbox. Many nodes reporting at once make one or two
 * evaluations, not one each. Never throws for a cluster without snapshots: its first one reads the reports.
 */
export async function reevaluateWithNodeReports(ctx: OrgContext, clusterId: string, nodeReportId: string): Promise<{ snapshotId: string; queued: boolean } | null> {
  return reevaluateLatestSnapshot(ctx, clusterId, 'node-reports', { nodeReportId });
}
