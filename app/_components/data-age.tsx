import { clusterFreshness } from '@/lib/services/clusters/snapshot-counts';
import { TimeAgo } from './time-ago';

/**
 * "collected 1 day ago (received 5 minutes ago)": the age of a cluster's data is when it was collected; when it
 * arrived much later (an offline push, a spooled agent), the receipt is said too.
 */
export function DataAge({ cluster, now }: { cluster: { lastCollectedAt: Date | null; lastSnapshotAt: Date | null }; now: Date }) {
  const { collectedAt, receivedAt, late } = clusterFreshness(cluster);
  if (!receivedAt) return <span className="text-slate-500">no snapshot yet</span>;
  if (!collectedAt) return <>received <TimeAgo date={receivedAt} now={now} />, not evaluated yet</>;
  return (
    <>
      collected <TimeAgo date={collectedAt} now={now} />
      {late && <span className="text-slate-500"> (received <TimeAgo date={receivedAt} now={now} />)</span>}
    </>
  );
}
