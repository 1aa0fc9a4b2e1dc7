import { z } from 'zod';
import { AppError } from '../../platform/errors';
import { dbFor, type TenantTx } from '../../platform/db/tenant';
import { Prisma } from '../../platform/db/client';
import { authorize } from '../../platform/auth/permissions';
import { actorUserId, type OrgContext } from '../../platform/auth/context';
import { writeAudit } from '../audit/write-audit';
import { recordOrganizationScores } from '../scores/write-scores';
import { CLUSTER_ENVIRONMENTS, ClusterNameSchema } from './create-cluster';

export { CLUSTER_ENVIRONMENTS };

// Label keys and values follow Kubernetes' own label syntax, so a label can be copied to and from the cluster.
const LabelKeySchema = z.string().regex(/^(?:[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?\/)?[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?$/, 'a Kubernetes label key: letters, digits, "-", "_", "." (up to 63), with an optional "domain/" prefix');
const LabelValueSchema = z.string().regex(/^(?:[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?)?$/, 'a Kubernetes label value: letters, digits, "-", "_", "." (up to 63)');
export const ClusterLabelsSchema = z.record(LabelKeySchema, LabelValueSchema).refine((labels) => Object.keys(labels).length <= 20, 'at most 20 labels');
export type ClusterLabels = z.infer<typeof ClusterLabelsSchema>;

export const UpdateClusterSchema = z.object({
  clusterId: z.uuid(),
  name: ClusterNameSchema.optional(),
  environment: z.enum(CLUSTER_ENVIRONMENTS).nullable().optional(),
  labels: ClusterLabelsSchema.optional(),
});
export type UpdateClusterInput = z.input<typeof UpdateClusterSchema>;

/** PATCH /api/v1/orgs/{org}/clusters/{id}: any of the fields; `archived` true archives, false restores. */
export const PatchClusterBodySchema = UpdateClusterSchema.omit({ clusterId: true }).extend({ archived: z.boolean().optional() });
/** DELETE /api/v1/orgs/{org}/clusters/{id}?confirm=<cluster name>, as typing the name is on the page. */
export const DeleteClusterQuerySchema = z.object({ confirm: z.string().max(200).optional() });

export const ClusterIdSchema = z.object({ clusterId: z.uuid() });
export const DeleteClusterSchema = z.object({ clusterId: z.uuid(), confirmName: z.string().max(200) });
export type DeleteClusterInput = z.input<typeof DeleteClusterSchema>;

/** A route's cluster id segment: anything but a UUID names no cluster (404, like another organization's id). */
export function clusterIdParam(id: string): string {
  if (!z.uuid().safeParse(id).success) throw new AppError('not_found', 'Cluster not found');
  return id;
}

async function findCluster(tx: TenantTx, clusterId: string) {
  const cluster = await tx.cluster.findUnique({ where: { id: clusterId } });
  if (!cluster) throw new AppError('not_found', 'Cluster not found');
  return cluster;
}

/** Renames a cluster and sets its environment and labels. Only the fields given change. */
export async function updateCluster(ctx: OrgContext, input: UpdateClusterInput) {
  authorize(ctx, 'cluster.manage');
  const data = UpdateClusterSchema.parse(input);
  try {
    return await dbFor(ctx).$transaction(async (tx) => {
      const cluster = await findCluster(tx, data.clusterId);
      const before = { name: cluster.name, environment: cluster.environment, labels: cluster.labels };
      const updated = await tx.cluster.update({
        where: { id: cluster.id },
        data: {
          ...(data.name !== undefined ? { name: data.name } : {}),
          ...(data.environment !== undefined ? { environment: data.environment } : {}),
          ...(data.labels !== undefined ? { labels: data.labels } : {}),
        },
      });
      await writeAudit(tx, ctx, { action: 'cluster.updated', targetType: 'Cluster', targetId: cluster.id, before, after: { name: updated.name, environment: updated.environment, labels: updated.labels } });
      return updated;
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      throw new AppError('conflict', `A cluster named "${data.name ?? ''}" already exists`, [{ path: 'name', message: 'already taken' }]);
    }
    throw error;
  }
}

/**
 * Archives a cluster: its history stays readable, it raises no staleness alert, its agent tokens are refused
 * (409), and its findings leave the organization's dashboard, score and "all clusters" reports.
 */
export async function archiveCluster(ctx: OrgContext, input: z.input<typeof ClusterIdSchema>) {
  authorize(ctx, 'cluster.manage');
  const { clusterId } = ClusterIdSchema.parse(input);
  return dbFor(ctx).$transaction(async (tx) => {
    const cluster = await findCluster(tx, clusterId);
    if (cluster.archivedAt) return cluster;
    const now = new Date();
    const archived = await tx.cluster.update({ where: { id: cluster.id }, data: { archivedAt: now, archivedById: actorUserId(ctx), staleSince: null } });
    await writeAudit(tx, ctx, { action: 'cluster.archived', targetType: 'Cluster', targetId: cluster.id, before: { archivedAt: null }, after: { name: cluster.name, archivedAt: now.toISOString() } });
    await recordOrganizationScores(tx, ctx.organizationId, now);
    return archived;
  });
}

/** Brings an archived cluster back: its agent may push again and it counts in the organization's figures. */
export async function restoreCluster(ctx: OrgContext, input: z.input<typeof ClusterIdSchema>) {
  authorize(ctx, 'cluster.manage');
  const { clusterId } = ClusterIdSchema.parse(input);
  return dbFor(ctx).$transaction(async (tx) => {
    const cluster = await findCluster(tx, clusterId);
    if (!cluster.archivedAt) return cluster;
    const now = new Date();
    // Staleness applies again at once: a restored cluster whose agent stays silent is flagged by the next sweep.
    const restored = await tx.cluster.update({ where: { id: cluster.id }, data: { archivedAt: null, archivedById: null } });
    await writeAudit(tx, ctx, { action: 'cluster.restored', targetType: 'Cluster', targetId: cluster.id, before: { archivedAt: cluster.archivedAt.toISOString() }, after: { name: cluster.name, archivedAt: null } });
    await recordOrganizationScores(tx, ctx.organizationId, now);
    return restored;
  });
}

/**
 * Deletes a cluster and everything collected from it: snapshots, evaluations, findings with their timelines,
 * comments, risk acceptances and ticket links (foreign-key cascades), and what has no foreign key to it (its
 * score history, cluster-scoped exceptions). The audit log keeps the entry that says who
 * deleted it; reports already generated keep their files. The caller types the cluster's name to confirm.
 */
export async function deleteCluster(ctx: OrgContext, input: DeleteClusterInput) {
  authorize(ctx, 'cluster.manage');
  const data = DeleteClusterSchema.parse(input);
  return dbFor(ctx).$transaction(async (tx) => {
    const cluster = await findCluster(tx, data.clusterId);
    if (data.confirmName.trim() !== cluster.name) {
      throw new AppError('invalid', `Type the cluster's name, "${cluster.name}", to delete it`, [{ path: 'confirmName', message: `does not match "${cluster.name}"` }]);
    }
    const [snapshots, findings] = await Promise.all([
      tx.snapshot.count({ where: { clusterId: cluster.id } }),
      tx.finding.count({ where: { clusterId: cluster.id } }),
    ]);
    await tx.scorePoint.deleteMany({ where: { clusterId: cluster.id } });
    await tx.scoreDaily.deleteMany({ where: { scopeKey: cluster.id } });
    await tx.findingException.deleteMany({ where: { clusterId: cluster.id } });
    // Finding tallies need nothing here: the triggers append cancelling deltas as the findings go, and
    // maintenance's compaction drops groups that sum to zero.
    await tx.cluster.delete({ where: { id: cluster.id } });
    await writeAudit(tx, ctx, { action: 'cluster.deleted', targetType: 'Cluster', targetId: cluster.id, before: { name: cluster.name, environment: cluster.environment, snapshots, findings } });
    await recordOrganizationScores(tx, ctx.organizationId, new Date());
    return { deleted: cluster.id, name: cluster.name, snapshots, findings };
  });
}
