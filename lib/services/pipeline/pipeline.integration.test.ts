import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { systemContext } from '../../platform/auth/context';
import { disconnectDb } from '../../platform/db/client';
import { dbFor, systemDb } from '../../platform/db/tenant';
import { closeProducers } from '../../platform/queue/producers';
import { createClusterWithToken, createOrg } from '../../testing/factories';
import { container, deployment, namespace, networkPolicy, serviceAccount, snapshotOf } from '../../testing/k8s';
import { pushSnapshot } from '../../testing/push';
import { evaluateStoredSnapshot } from './evaluate-stored-snapshot';
import { expireRiskAcceptances } from './maintenance';
import { listFindings } from '../findings/list-findings';
import { getFinding } from '../findings/get-finding';

afterAll(async () => { await closeProducers(); await disconnectDb(); });

const shop = namespace('shop');
const denyAll = networkPolicy({ namespace: 'shop', name: 'default-deny' });

const appAccount = serviceAccount({ namespace: 'shop', name: 'app' });
const SAFE_CONTEXT = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } };

function web(privileged: boolean) {
  return deployment({ namespace: 'shop', name: 'web' }, { containers: [container({ name: 'app', securityContext: { ...SAFE_CONTEXT, privileged } })] });
}

function snapshotAt(day: number, objects: Parameters<typeof snapshotOf>[0]) {
  return snapshotOf(objects, { collectedAt: `2026-03-${String(day).padStart(2, '0')}T10:00:00Z`, clusterUid: 'kube-system-uid-pipeline' });
}

async function pushAndEvaluate(org: { id: string }, token: string, snapshot: ReturnType<typeof snapshotAt>, at: Date) {
  const pushed = await pushSnapshot(token, snapshot);
  const outcome = await evaluateStoredSnapshot(systemContext(org.id, 'test'), pushed.snapshotId, () => at);
  return { pushed, outcome };
}

let org: Awaited<ReturnType<typeof createOrg>>;
let cluster: { id: string };
let token: string;

beforeEach(async () => {
  org = await createOrg();
  ({ cluster, token } = await createClusterWithToken(org, 'prod'));
});

function privilegedFinding() {
  return dbFor({ organizationId: org.id }).finding.findFirst({ where: { controlId: 'workload.privileged-container', resourceName: 'web' } });
}

describe('from a pushed snapshot to stored findings', () => {
  it('stores findings as OPEN with a due date, a finished evaluation, and cluster and organization scores', async () => {
    const { pushed, outcome } = await pushAndEvaluate(org, token, snapshotAt(1, [shop, denyAll, appAccount, web(true)]), new Date('2026-03-01T10:01:00Z'));
    expect(pushed.status).toBe('queued');
    expect(outcome.outcome).toBe('done');

    const finding = await privilegedFinding();
    expect(finding).toMatchObject({ status: 'OPEN', severity: 'CRITICAL', resourceKind: 'Deployment', resourceNamespace: 'shop', clusterId: cluster.id });
    expect(finding?.dueAt?.toISOString()).toBe('2026-03-08T10:01:00.000Z'); // critical: 7 days
    const db = dbFor({ organizationId: org.id });
    expect(await db.snapshot.findUniqueOrThrow({ where: { id: pushed.snapshotId } })).toMatchObject({ status: 'DONE' });
    const points = await db.scorePoint.findMany({ where: { frameworkId: 'cis-k8s-1.9' } });
    expect(points.map((p) => p.clusterId).sort()).toEqual([cluster.id, null].sort());
    expect(points.every((p) => p.failed > 0 && p.score < 100)).toBe(true);
    expect(await db.scoreDaily.count()).toBeGreaterThan(0);
  });

  it('stores and evaluates the same snapshot once when it is pushed twice', async () => {
    const snapshot = snapshotAt(1, [shop, denyAll, appAccount, web(true)]);
    const first = await pushSnapshot(token, snapshot);
    const second = await pushSnapshot(token, snapshot);
    expect(second).toMatchObject({ snapshotId: first.snapshotId, duplicate: true });
    await evaluateStoredSnapshot(systemContext(org.id, 'test'), first.snapshotId);
    const again = await evaluateStoredSnapshot(systemContext(org.id, 'test'), first.snapshotId);
    expect(again).toEqual({ outcome: 'skipped', reason: 'already-evaluated' });
    const db = dbFor({ organizationId: org.id });
    expect(await db.snapshot.count()).toBe(1);
    expect(await db.finding.count({ where: { controlId: 'workload.privileged-container' } })).toBe(1);
  });

  it('resolves a finding fixed in a later snapshot, and reopens it with its history when it comes back', async () => {
    await pushAndEvaluate(org, token, snapshotAt(1, [shop, denyAll, appAccount, web(true)]), new Date('2026-03-01T10:01:00Z'));
    const opened = await privilegedFinding();
    await pushAndEvaluate(org, token, snapshotAt(2, [shop, denyAll, appAccount, web(false)]), new Date('2026-03-02T10:01:00Z'));
    expect(await privilegedFinding()).toMatchObject({ id: opened?.id, status: 'RESOLVED', resolutionReason: 'FIXED' });
    await pushAndEvaluate(org, token, snapshotAt(3, [shop, denyAll, appAccount, web(true)]), new Date('2026-03-03T10:01:00Z'));
    const reopened = await privilegedFinding();
    expect(reopened).toMatchObject({ id: opened?.id, status: 'OPEN', reopenedCount: 1, resolvedAt: null });
    expect(reopened?.firstSeenAt.toISOString()).toBe('2026-03-01T10:01:00.000Z');
    const events = await dbFor({ organizationId: org.id }).findingEvent.findMany({ where: { findingId: opened?.id }, orderBy: { createdAt: 'asc' } });
    expect(events.map((e) => e.type)).toEqual(['opened', 'resolved', 'reopened']);
  });

  it('leaves status, assignee and acknowledgement untouched for a finding that is still there', async () => {
    await pushAndEvaluate(org, token, snapshotAt(1, [shop, denyAll, appAccount, web(true)]), new Date('2026-03-01T10:01:00Z'));
    const finding = await privilegedFinding();
    const team = await dbFor({ organizationId: org.id }).team.create({ data: { organizationId: org.id, name: 'Platform' } });
    await dbFor({ organizationId: org.id }).finding.update({ where: { id: finding?.id }, data: { status: 'ACKNOWLEDGED', assigneeTeamId: team.id } });
    await pushAndEvaluate(org, token, snapshotAt(2, [shop, denyAll, appAccount, web(true)]), new Date('2026-03-02T10:01:00Z'));
    expect(await privilegedFinding()).toMatchObject({ status: 'ACKNOWLEDGED', assigneeTeamId: team.id });
    expect((await privilegedFinding())?.lastSeenAt.toISOString()).toBe('2026-03-02T10:01:00.000Z');
  });

  it('writes no finding row for an unchanged re-push, yet shows each open finding as seen by the latest evaluation', async () => {
    const api = deployment({ namespace: 'shop', name: 'api' }, { containers: [container({ name: 'api', image: 'nginx:latest', securityContext: {}, resources: {} })] }); // several findings
    const at = (time: string) => snapshotOf([shop, denyAll, appAccount, web(true), api], { collectedAt: `2026-03-01T${time}:00Z`, clusterUid: 'kube-system-uid-pipeline' });
    const versions = () => systemDb().$queryRaw<{ id: string; xmin: string }[]>`SELECT id::text, xmin::text FROM "Finding" WHERE "organizationId" = ${org.id}::uuid ORDER BY id`;
    await pushAndEvaluate(org, token, at('10:00'), new Date('2026-03-01T10:01:00Z'));
    const before = await versions();
    expect(before.length).toBeGreaterThan(3);

    await pushAndEvaluate(org, token, at('10:10'), new Date('2026-03-01T10:11:00Z'));
    expect(await versions()).toEqual(before);
    const ctx = systemContext(org.id, 'test');
    const { items } = await listFindings(ctx, { status: 'OPEN' });
    expect(items.length).toBe(before.length);
    expect(new Set(items.map((item) => item.lastSeenAt.toISOString()))).toEqual(new Set(['2026-03-01T10:11:00.000Z']));
    const finding = await privilegedFinding();
    expect((await getFinding(ctx, finding!.id)).finding.lastSeenAt.toISOString()).toBe('2026-03-01T10:11:00.000Z');

    // Fixed: resolved, last seen by the evaluation before.
    await pushAndEvaluate(org, token, snapshotOf([shop, denyAll, appAccount, web(false), api], { collectedAt: '2026-03-01T10:20:00Z', clusterUid: 'kube-system-uid-pipeline' }), new Date('2026-03-01T10:21:00Z'));
    const resolved = await privilegedFinding();
    expect(resolved).toMatchObject({ status: 'RESOLVED', resolutionReason: 'FIXED' });
    expect(resolved?.resolvedAt?.toISOString()).toBe('2026-03-01T10:21:00.000Z');
    expect(resolved?.lastSeenAt.toISOString()).toBe('2026-03-01T10:11:00.000Z');
    expect((await getFinding(ctx, resolved!.id)).finding.lastSeenAt.toISOString()).toBe('2026-03-01T10:11:00.000Z');

    // An hour on, the stored time of the open findings is refreshed (the "last seen" sort reads it).
    await pushAndEvaluate(org, token, snapshotOf([shop, denyAll, appAccount, web(false), api], { collectedAt: '2026-03-01T11:30:00Z', clusterUid: 'kube-system-uid-pipeline' }), new Date('2026-03-01T11:31:00Z'));
    const open = await dbFor({ organizationId: org.id }).finding.findMany({ where: { status: 'OPEN' }, select: { lastSeenAt: true } });
    expect(open.length).toBe(before.length - 1);
    expect(new Set(open.map((row) => row.lastSeenAt.toISOString()))).toEqual(new Set(['2026-03-01T11:31:00.000Z']));
  });

  it('never lets an older snapshot that arrives late overwrite a newer state', async () => {
    await pushAndEvaluate(org, token, snapshotAt(5, [shop, denyAll, appAccount, web(false)]), new Date('2026-03-05T10:01:00Z'));
    const late = await pushAndEvaluate(org, token, snapshotAt(4, [shop, denyAll, appAccount, web(true)]), new Date('2026-03-05T10:02:00Z'));
    expect(late.outcome).toEqual({ outcome: 'skipped', reason: 'superseded' });
    expect(await privilegedFinding()).toBeNull();
    expect(await dbFor({ organizationId: org.id }).snapshot.findUniqueOrThrow({ where: { id: late.pushed.snapshotId } })).toMatchObject({ status: 'SUPERSEDED' });
  });

  it('counts a risk-accepted finding as passed in the score, shows it apart, and reopens it when the acceptance expires', async () => {
    await pushAndEvaluate(org, token, snapshotAt(1, [shop, denyAll, appAccount, web(true)]), new Date('2026-03-01T10:01:00Z'));
    const db = dbFor({ organizationId: org.id });
    const before = await db.scorePoint.findFirstOrThrow({ where: { clusterId: cluster.id, frameworkId: 'cis-k8s-1.9' }, orderBy: { at: 'desc' } });
    const finding = await privilegedFinding();
    const requester = await systemDb().user.create({ data: { email: `r-${org.slug}@example.test` } });
    const approver = await systemDb().user.create({ data: { email: `a-${org.slug}@example.test` } });
    await db.finding.update({ where: { id: finding?.id }, data: { status: 'RISK_ACCEPTED' } });
    await db.riskAcceptance.create({ data: {
      organizationId: org.id, findingId: finding!.id, requestedById: requester.id, decidedById: approver.id, decidedAt: new Date(),
      justification: 'legacy driver needs it', status: 'APPROVED', expiresAt: new Date('2026-03-03T00:00:00Z'),
    } });
    await pushAndEvaluate(org, token, snapshotAt(2, [shop, denyAll, appAccount, web(true)]), new Date('2026-03-02T10:01:00Z'));
    const after = await db.scorePoint.findFirstOrThrow({ where: { clusterId: cluster.id, frameworkId: 'cis-k8s-1.9' }, orderBy: { at: 'desc' } });
    expect(await privilegedFinding()).toMatchObject({ status: 'RISK_ACCEPTED' });
    expect(after.accepted).toBeGreaterThan(0);
    expect(after.score).toBeGreaterThan(before.score);

    await expireRiskAcceptances(new Date('2026-03-04T00:00:00Z'));
    expect(await privilegedFinding()).toMatchObject({ status: 'OPEN' });
    const events = await db.findingEvent.findMany({ where: { findingId: finding?.id }, orderBy: { createdAt: 'asc' } });
    expect(events.map((e) => e.type)).toContain('risk_expired');
  });
});

describe('a backlog of snapshots of one cluster', () => {
  it('evaluates only the newest when a newer one is already stored (latest wins)', async () => {
    const older = await pushSnapshot(token, snapshotAt(10, [shop, denyAll, appAccount, web(true)]));
    const newer = await pushSnapshot(token, snapshotAt(11, [shop, denyAll, appAccount, web(false)]));
    expect(await evaluateStoredSnapshot(systemContext(org.id, 'test'), older.snapshotId)).toEqual({ outcome: 'skipped', reason: 'superseded' });
    expect((await evaluateStoredSnapshot(systemContext(org.id, 'test'), newer.snapshotId)).outcome).toBe('done');
    expect(await privilegedFinding()).toBeNull();
  });
});
