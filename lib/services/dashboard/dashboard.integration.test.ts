import { afterAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../platform/auth/context';
import { disconnectDb } from '../../platform/db/client';
import { closeProducers } from '../../platform/queue/producers';
import { seedCatalog } from '../catalog/seed-catalog';
import { evaluateStoredSnapshot } from '../pipeline/evaluate-stored-snapshot';
import { createClusterWithToken, createMember, createOrg } from '../../testing/factories';
import { container, deployment, namespace, snapshotOf } from '../../testing/k8s';
import { pushSnapshot } from '../../testing/push';
import { getDashboard } from './get-dashboard';
import { dbFor } from '../../platform/db/tenant';
import { compactFindingTallies } from '../pipeline/tallies';

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

  it('counts open findings by severity, per cluster and per control, overdue and risk-accepted ones, exactly', async () => {
    await seedCatalog();
    const org = await createOrg('Dash Counts');
    const { ctx } = await createMember(org, 'VIEWER');
    const clusters = [await createClusterWithToken(org, 'prod'), await createClusterWithToken(org, 'dev')];
    const loose = (name: string) => deployment({ namespace: 'shop', name }, { hostPID: true, containers: [container({ name, image: 'nginx:latest', securityContext: {}, resources: {} })] });
    for (const [index, { token }] of clusters.entries()) {
      const pushed = await pushSnapshot(token, snapshotOf([namespace('shop'), loose('web'), ...(index === 0 ? [loose('api')] : [])], { collectedAt: '2026-07-01T00:00:00Z', clusterUid: `uid-counts-${index}` }));
      await evaluateStoredSnapshot(systemContext(org.id, 'test'), pushed.snapshotId, () => new Date('2026-07-01T00:05:00Z'));
    }
    const db = dbFor({ organizationId: org.id });
    const ids = (await db.finding.findMany({ orderBy: { id: 'asc' }, select: { id: true } })).map((f) => f.id);
    await db.finding.updateMany({ where: { id: { in: ids.slice(0, 3) } }, data: { status: 'ACKNOWLEDGED' } });
    await db.finding.updateMany({ where: { id: { in: ids.slice(3, 5) } }, data: { status: 'RISK_ACCEPTED' } });
    await db.finding.updateMany({ where: { id: { in: ids.slice(5, 6) } }, data: { status: 'RESOLVED', resolvedAt: new Date('2026-07-01T01:00:00Z') } });
    await db.finding.updateMany({ where: { id: { in: [ids[0]!, ids[3]!, ids[5]!, ids[6]!] } }, data: { dueAt: new Date('2026-07-02T00:00:00Z') } });

    const now = new Date('2026-07-03T00:00:00Z');
    const rows = await db.finding.findMany({ select: { clusterId: true, controlId: true, severity: true, status: true, dueAt: true } });
    const open = rows.filter((f) => f.status === 'OPEN' || f.status === 'ACKNOWLEDGED');
    const bySeverity = { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0 };
    for (const f of open) bySeverity[f.severity] += 1;
    const byControl = new Map<string, number>();
    for (const f of open) byControl.set(f.controlId, (byControl.get(f.controlId) ?? 0) + 1);
    const expected = {
      bySeverity,
      overdue: open.filter((f) => f.dueAt !== null && f.dueAt < now).length,
      riskAccepted: 2,
      topFailingControls: [...byControl].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 8).map(([controlId, n]) => ({ controlId, open: n })),
      clusters: clusters.map(({ cluster }) => ({
        name: cluster.name,
        openCritical: open.filter((f) => f.clusterId === cluster.id && f.severity === 'CRITICAL').length,
        openHigh: open.filter((f) => f.clusterId === cluster.id && f.severity === 'HIGH').length,
      })).sort((a, b) => a.name.localeCompare(b.name)),
    };
    expect(expected.overdue).toBe(2); // ids[0] (acknowledged) and ids[6] (open); not the accepted or resolved one
    expect(open.length).toBeGreaterThan(6);

    const shown = (dashboard: Awaited<ReturnType<typeof getDashboard>>) => ({
      bySeverity: dashboard.bySeverity,
      overdue: dashboard.overdue,
      riskAccepted: dashboard.riskAccepted,
      topFailingControls: dashboard.topFailingControls.map(({ controlId, open: n }) => ({ controlId, open: n })),
      clusters: dashboard.clusters.map(({ name, openCritical, openHigh }) => ({ name, openCritical, openHigh })),
    });
    expect(shown(await getDashboard(ctx, now))).toEqual(expected);
    await compactFindingTallies();
    expect(shown(await getDashboard(ctx, now))).toEqual(expected);
  });
});
