/** Workload controllers (ReplicaSets and Pods are mostly what they create, so they are counted apart). */
const WORKLOAD_NAMES = ['deployments', 'statefulsets', 'daemonsets', 'jobs', 'cronjobs', 'replicationcontrollers'] as const;

/**
 * What a snapshot row shows from its stored per-resource counts (keys are the Kubernetes plurals of
 * lib/analysis/snapshot's RESOURCE_KINDS): every object, the workload controllers and the Pods. A snapshot pushed from
 * manifests has workloads but no Pods, so "Pods 0" alone read as an empty cluster.
 */
export function summarizeObjectCounts(objectCounts: unknown): { objects: number; workloads: number; pods: number } {
  const counts = typeof objectCounts === 'object' && objectCounts !== null && !Array.isArray(objectCounts) ? (objectCounts as Record<string, unknown>) : {};
  const count = (name: string) => {
    const value = counts[name];
    return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
  };
  return {
    objects: Object.keys(counts).reduce((sum, name) => sum + count(name), 0),
    workloads: WORKLOAD_NAMES.reduce((sum, name) => sum + count(name), 0),
    pods: count('pods'),
  };
}

/** Received this long after collection, a snapshot's age is worth saying apart from its arrival. */
export const LATE_RECEIPT_MS = 15 * 60_000;

/**
 * How fresh a cluster's data is: when the data was collected in the cluster (what findings describe), and when
 * Bulwark received it. An offline push or a spooled agent delivers day-old data "5 minutes ago"; `late` says so.
 */
export function clusterFreshness(cluster: { lastCollectedAt: Date | null; lastSnapshotAt: Date | null }) {
  const { lastCollectedAt: collectedAt, lastSnapshotAt: receivedAt } = cluster;
  const late = collectedAt !== null && receivedAt !== null && receivedAt.getTime() - collectedAt.getTime() > LATE_RECEIPT_MS;
  return { collectedAt, receivedAt, late };
}
