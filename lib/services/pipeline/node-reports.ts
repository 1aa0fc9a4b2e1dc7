import type { NodeReport } from '../../analysis/snapshot/node-report';
import type { Snapshot } from '../../analysis/snapshot/schema';
import type { TenantDb } from '../../platform/db/tenant';

/**
 * A node whose collector has not reported for this long is left out of evaluations: a node that was removed (or
 * whose collector stopped) must not keep passing or failing CIS items on stale data. The DaemonSet reports hourly
 * by default (agent/deploy/node), so a week of silence is a node gone, not a slow one.
 */
export const NODE_REPORT_MAX_AGE_DAYS = 7;
/** A bound on what one evaluation loads (the performance target is 500 nodes). */
const MAX_NODE_REPORTS = 5000;

type Json = Record<string, unknown>;
const isRecord = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The node reports an evaluation of `snapshot` gets: the latest per node of the cluster, collected within
 * NODE_REPORT_MAX_AGE_DAYS of `now`, and, when the snapshot listed the cluster's nodes, only nodes it lists (a
 * deleted node's last report is not evaluated). The snapshot's Node object fills in what a collector cannot see
 * from the host: labels (the API's, over the kubelet flag's), providerID and the kubelet version.
 */
export async function nodeReportsForEvaluation(db: TenantDb, clusterId: string, snapshot: Snapshot, now: Date): Promise<NodeReport[]> {
  const rows = await db.nodeReport.findMany({
    where: { clusterId, collectedAt: { gte: new Date(now.getTime() - NODE_REPORT_MAX_AGE_DAYS * 86_400_000) } },
    orderBy: { nodeName: 'asc' },
    take: MAX_NODE_REPORTS,
    select: { report: true },
  });
  const reports = rows.map((row) => row.report as unknown as NodeReport);
  const nodes = new Map<string, Json>();
  for (const node of snapshot.objects.nodes ?? []) nodes.set(node.metadata.name, node as Json);
  const listsNodes = snapshot.collection.nodes?.status === 'collected' && nodes.size > 0;
  return reports.filter((report) => !listsNodes || nodes.has(report.node.name)).map((report) => withNodeObject(report, nodes.get(report.node.name)));
}

function withNodeObject(report: NodeReport, node: Json | undefined): NodeReport {
  if (!node) return report;
  const metadata = isRecord(node.metadata) ? node.metadata : {};
  const labels = isRecord(metadata.labels) ? Object.fromEntries(Object.entries(metadata.labels).filter((e): e is [string, string] => typeof e[1] === 'string')) : {};
  const spec = isRecord(node.spec) ? node.spec : {};
  const status = isRecord(node.status) ? node.status : {};
  const nodeInfo = isRecord(status.nodeInfo) ? status.nodeInfo : {};
  const providerID = report.node.providerID ?? (typeof spec.providerID === 'string' ? spec.providerID : undefined);
  const kubeletVersion = report.node.kubeletVersion ?? (typeof nodeInfo.kubeletVersion === 'string' ? nodeInfo.kubeletVersion : undefined);
  return {
    ...report,
    node: { ...report.node, labels: { ...report.node.labels, ...labels }, ...(providerID ? { providerID } : {}), ...(kubeletVersion ? { kubeletVersion } : {}) },
  };
}
