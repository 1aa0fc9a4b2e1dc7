import { afterAll, describe, expect, it } from 'vitest';
import { systemContext } from '../auth/context';
import { disconnectDb } from '../db/client';
import { closeProducers } from '../queue/producers';
import { seedCatalog } from '../catalog/seed-catalog';
import { evaluateStoredSnapshot } from '../pipeline/evaluate-stored-snapshot';
import { createClusterWithToken, createMember, createOrg } from '../testing/factories';
import { container, deployment, namespace, snapshotOf } from '../testing/k8s';
import { pushSnapshot } from '../testing/push';
import { getDashboard } from './get-dashboard';

afterAll(async () => { await closeProducers(); await disconnectDb(); });

describe('the dashboard', () => {
  it('shows each cluster\'s latest scores and snapshot status, and the open findings, for its own organization only', async () => {
    await seedCatalog();
    const acme = await createOrg('Dash Acme');
    const globex = await createOrg('Dash Globex');
    const { ctx } = await createMember(acme, 'VIEWER');
    const prod = await createClusterWithToken(acme, 'prod');
    await createClusterWithToken(acme, 'idle');
    const other = await createClusterWithToken(globex, 'globex-prod');
    for (const [org, token, day] of [[acme, prod.token, 1], [acme, prod.token, 2], [globex, other.token, 1]] as const) {
      const snapshot = snapshotOf([namespace('shop'), deployment({ namespace: 'shop', name: 'web' }, { hostPID: day === 1, containers: [container()] })], { collectedAt: `2026-07-0${day}T00:00:00Z`, clusterUid: `uid-${org.slug}` });
      const pushed = await pushSnapshot(token, snapshot);
      await evaluateStoredSnapshot(systemContext(org.id, 'test'), pushed.snapshotId, () => new Date(`2026-07-0${day}T00:05:00Z`));
    }
    const dashboard = await getDashboard(ctx, new Date('2026-07-03T00:00:00Z'));
    expect(dashboard.clusters.map((c) => c.name)).toEqual(['idle', 'prod']);
    const row = dashboard.clusters.find((c) => c.name === 'prod');
    expect(row?.latestSnapshotStatus).toBe('DONE');
    expect(Object.keys(row?.scores ?? {}).sort()).toEqual(['cis-k8s-1.9', 'iso27001-2022', 'nsa-k8s-1.2']);
    expect(dashboard.clusters.find((c) => c.name === 'idle')).toMatchObject({ latestSnapshotStatus: null, scores: {} });
    expect(dashboard.frameworks.every((f) => f.score !== null)).toBe(true);
    expect(Object.values(dashboard.bySeverity).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });
});
