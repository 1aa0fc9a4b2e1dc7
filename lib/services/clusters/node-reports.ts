import { z } from 'zod';
import { authorize } from '../../platform/auth/permissions';
import type { OrgContext } from '../../platform/auth/context';
import { dbFor } from '../../platform/db/tenant';
import { AppError } from '../../platform/errors';
import type { NodeReport } from '../../analysis/snapshot/node-report';
import { NODE_REPORT_MAX_AGE_DAYS } from '../pipeline/node-reports';

export type ClusterNode = {
  name: string;
  /** control-plane: a static pod or process of the API server, controller manager, scheduler or etcd was seen. */
  role: 'control-plane' | 'worker';
  providerID: string | null;
  components: string[];
  collectorVersion: string;
  collectedAt: string;
  changedAt: string;
  /** Silent for more than NODE_REPORT_MAX_AGE_DAYS: left out of evaluations. */
  stale: boolean;
};

/** The nodes whose collector reported for this cluster (latest report each), by name; 404 for another organization's. */
export async function listClusterNodes(ctx: OrgContext, clusterId: string, now = new Date()): Promise<{ maxAgeDays: number; nodes: ClusterNode[] }> {
  authorize(ctx, 'cluster.read');
  if (!z.uuid().safeParse(clusterId).success) throw new AppError('not_found', 'Cluster not found');
  const db = dbFor(ctx);
  const cluster = await db.cluster.findUnique({ where: { id: clusterId }, select: { id: true } });
  if (!cluster) throw new AppError('not_found', 'Cluster not found');
  const rows = await db.nodeReport.findMany({
    where: { clusterId },
    orderBy: { nodeName: 'asc' },
    take: 5000,
    select: { nodeName: true, collectorVersion: true, collectedAt: true, changedAt: true, report: true },
  });
  const oldest = now.getTime() - NODE_REPORT_MAX_AGE_DAYS * 86_400_000;
  const nodes = rows.map((row): ClusterNode => {
    const report = row.report as unknown as NodeReport;
    const components = Object.keys(report.components ?? {}).sort();
    const controlPlane = ['apiserver', 'controllerManager', 'scheduler', 'etcd'].some((name) => components.includes(name));
    return {
      name: row.nodeName,
      role: controlPlane ? 'control-plane' : 'worker',
      providerID: report.node?.providerID ?? null,
      components,
      collectorVersion: row.collectorVersion,
      collectedAt: row.collectedAt.toISOString(),
      changedAt: row.changedAt.toISOString(),
      stale: row.collectedAt.getTime() < oldest,
    };
  });
  return { maxAgeDays: NODE_REPORT_MAX_AGE_DAYS, nodes };
}
