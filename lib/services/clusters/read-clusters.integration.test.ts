import { afterAll, describe, expect, it } from 'vitest';
import { disconnectDb } from '../../platform/db/client';
import { closeProducers } from '../../platform/queue/producers';
import { createMember } from '../../testing/factories';
import { app, baseObjects, orgWithFindings } from '../../testing/findings-fixture';
import { pod, container } from '../../testing/k8s';
import { getCluster, listClusters } from './read-clusters';
import { clusterFreshness } from './snapshot-counts';

afterAll(async () => { await closeProducers(); await disconnectDb(); });

describe('a cluster as its pages show it', () => {
  it('says when its data was collected, apart from when it was received, and counts workloads and Pods per snapshot', async () => {
    // The fixture's snapshots were collected in March 2026 and are received now: data months old, received today.
    const fx = await orgWithFindings(['api', 'web']);
    await fx.evaluate(2, [...baseObjects(), app('api'), app('web'), app('batch'), pod({ namespace: 'shop', name: 'debug' }, { containers: [container({ name: 'sh' })] })]);
    const { ctx } = await createMember(fx.org, 'VIEWER');

    const [listed] = await listClusters(ctx);
    expect(listed?.lastCollectedAt).toEqual(new Date('2026-03-02T10:00:00Z'));
    expect(listed!.lastSnapshotAt!.getTime()).toBeGreaterThan(listed!.lastCollectedAt!.getTime());
    expect(clusterFreshness(listed!)).toMatchObject({ collectedAt: new Date('2026-03-02T10:00:00Z'), late: true });

    const { snapshots } = await getCluster(ctx, fx.cluster.id);
    expect(snapshots.map((s) => [s.collectedAt.toISOString(), s.counts.workloads, s.counts.pods])).toEqual([
      ['2026-03-02T10:00:00.000Z', 3, 1],
      ['2026-03-01T10:00:00.000Z', 2, 0],
    ]);
    // Namespace, NetworkPolicy, ServiceAccount and the workloads (plus whatever the test snapshot adds).
    expect(snapshots[1]!.counts.objects).toBeGreaterThanOrEqual(5);
  });

  it('does not call data received soon after collection late', () => {
    const collected = new Date('2026-03-01T10:00:00Z');
    expect(clusterFreshness({ lastCollectedAt: collected, lastSnapshotAt: new Date('2026-03-01T10:02:00Z') }).late).toBe(false);
    expect(clusterFreshness({ lastCollectedAt: collected, lastSnapshotAt: new Date('2026-03-02T10:00:00Z') }).late).toBe(true);
    expect(clusterFreshness({ lastCollectedAt: null, lastSnapshotAt: null }).late).toBe(false);
  });
});
