import { z } from 'zod';
import { authorize } from '../../platform/auth/permissions';
import type { OrgContext } from '../../platform/auth/context';
import { dbFor } from '../../platform/db/tenant';
import { AppError } from '../../platform/errors';
import type { NodeReport } from '../../analysis/snapshot/node-report';
import type { ControlTally } from '../../analysis/engine';
import { MANAGED_PROVIDER_NAMES, nodeViewOf } from '../../analysis/model/node';
import type { CisVersion } from '../../analysis/frameworks/cis-versions';
import { NODE_REPORT_MAX_AGE_DAYS } from '../pipeline/node-reports';
import { clusterTallies } from '../scores/control-tallies';
import { getCisBenchmark } from '../orgs/settings';
import { nodeCisResults, type NodeCisResults } from './node-results';

export type ClusterNode = {
  name: string;
  /** control-plane: a static pod or process of the API server, controller manager, scheduler or etcd was seen, or the node is labelled so. */
  role: 'control-plane' | 'worker';
  providerID: string | null;
  /** The managed service the node's providerID or labels name (Amazon EKS, Google GKE, Azure AKS), if any. */
  managedProvider: string | null;
  components: string[];
  collectorVersion: string;
  collectedAt: string;
  /** When the server last received a report from this node (an unchanged one too). */
  receivedAt: string;
  changedAt: string;
  /** Silent for more than NODE_REPORT_MAX_AGE_DAYS: left out of evaluations. */
  stale: boolean;
  /**
   * CIS sections 1-4 items of the organization's benchmark version (`cisVersion` of the answer) on this node, from
   * the cluster's current evaluation and this node's findings; null before the cluster's first evaluation.
   */
  cis: NodeCisResults | null;
};

export type ClusterNodes = { maxAgeDays: number; cisVersion: CisVersion; cisFrameworkId: string; nodes: ClusterNode[] };

/**
 * The nodes whose collector reported for this cluster (latest report each), by name, with their CIS sections 1-4
 * results in the organization's benchmark version; 404 for another organization's.
 */
export async function listClusterNodes(ctx: OrgContext, clusterId: string, now = new Date()): Promise<ClusterNodes> {
  authorize(ctx, 'cluster.read');
  if (!z.uuid().safeParse(clusterId).success) throw new AppError('not_found', 'Cluster not found');
  const db = dbFor(ctx);
  const cluster = await db.cluster.findUnique({ where: { id: clusterId }, select: { id: true, currentEvaluationId: true } });
  if (!cluster) throw new AppError('not_found', 'Cluster not found');
  const cis = await getCisBenchmark(ctx);
  const rows = await db.nodeReport.findMany({
    where: { clusterId },
    orderBy: { nodeName: 'asc' },
    take: 5000,
    select: { nodeName: true, collectorVersion: true, collectedAt: true, receivedAt: true, changedAt: true, report: true },
  });
  // The cluster's current outcome per node control, and the findings each node still has (open or accepted).
  const outcomes = new Map<string, ControlTally>();
  const findings = new Map<string, Map<string, { open: number; accepted: number }>>();
  if (cluster.currentEvaluationId && rows.length > 0) {
    for (const tally of await clusterTallies(db, clusterId, cluster.currentEvaluationId)) if (tally.controlId.startsWith('node.')) outcomes.set(tally.controlId, tally);
    const groups = await db.finding.groupBy({
      by: ['resourceName', 'controlId', 'status'],
      where: { clusterId, resourceKind: 'Node', status: { in: ['OPEN', 'ACKNOWLEDGED', 'RISK_ACCEPTED'] } },
      _count: { _all: true },
    });
    for (const group of groups) {
      const byControl = findings.get(group.resourceName) ?? new Map<string, { open: number; accepted: number }>();
      const counts = byControl.get(group.controlId) ?? { open: 0, accepted: 0 };
      if (group.status === 'RISK_ACCEPTED') counts.accepted += group._count._all;
      else counts.open += group._count._all;
      byControl.set(group.controlId, counts);
      findings.set(group.resourceName, byControl);
    }
  }
  const oldest = now.getTime() - NODE_REPORT_MAX_AGE_DAYS * 86_400_000;
  const nodes = rows.map((row): ClusterNode => {
    const report = row.report as unknown as NodeReport;
    const components = Object.keys(report.components ?? {}).sort();
    const view = nodeViewOf({ ...report, node: { ...report.node, labels: report.node?.labels ?? {} }, components: report.components ?? {}, files: report.files ?? [] });
    return {
      name: row.nodeName,
      role: view.role,
      providerID: report.node?.providerID ?? null,
      managedProvider: view.provider ? MANAGED_PROVIDER_NAMES[view.provider] : null,
      components,
      collectorVersion: row.collectorVersion,
      collectedAt: row.collectedAt.toISOString(),
      receivedAt: row.receivedAt.toISOString(),
      changedAt: row.changedAt.toISOString(),
      stale: row.collectedAt.getTime() < oldest,
      cis: cluster.currentEvaluationId ? nodeCisResults(view.report, outcomes, findings.get(row.nodeName) ?? new Map(), cis.frameworkId) : null,
    };
  });
  return { maxAgeDays: NODE_REPORT_MAX_AGE_DAYS, cisVersion: cis.version, cisFrameworkId: cis.frameworkId, nodes };
}
