import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { disconnectDb } from '../../platform/db/client';
import { closeProducers } from '../../platform/queue/producers';
import { seedCatalog } from '../catalog/seed-catalog';
import { createClusterWithToken, createMember } from '../../testing/factories';
import { snapshotOf } from '../../testing/k8s';
import { pushSnapshot } from '../../testing/push';
import { evaluateStoredSnapshot } from '../pipeline/evaluate-stored-snapshot';
import { systemContext, type OrgContext } from '../../platform/auth/context';
import { markFalsePositive } from './mark-false-positive';
import { decideException } from './decide-exception';
import { deleteException, listExceptions } from './list-exceptions';
import { getFinding } from './get-finding';
import { addComment } from './add-comment';
import { acknowledgeFindings } from './acknowledge-findings';
import { requestRiskAcceptance } from './request-risk-acceptance';
import { app, baseObjects, orgWithFindings, workflowState, type Fixture } from '../../testing/findings-fixture';

beforeAll(async () => { await seedCatalog(); });
afterAll(async () => { await closeProducers(); await disconnectDb(); });

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000);
type Person = { user: { id: string }; ctx: OrgContext };
let fx: Fixture;
let admin: Person;
let member: Person;

beforeEach(async () => {
  fx = await orgWithFindings(['api', 'web']);
  admin = await createMember(fx.org, 'ADMIN');
  member = await createMember(fx.org, 'MEMBER');
});

describe('marking a false positive', () => {
  it('resolves the finding as FALSE_POSITIVE with the reason on its timeline, and the next snapshot keeps it dismissed', async () => {
    const web = fx.byName('web');
    await markFalsePositive(admin.ctx, { findingId: web.id, reason: 'privileged only in the kind test cluster image' });
    expect(await fx.db.finding.findUniqueOrThrow({ where: { id: web.id } })).toMatchObject({ status: 'RESOLVED', resolutionReason: 'FALSE_POSITIVE' });
    expect(await fx.db.findingEvent.findFirst({ where: { findingId: web.id, type: 'false_positive' } })).toMatchObject({ actorUserId: admin.user.id, data: { reason: 'privileged only in the kind test cluster image' } });
    await fx.evaluate(2, [...baseObjects(), app('web'), app('api')]);
    expect(await fx.db.finding.findUniqueOrThrow({ where: { id: web.id } })).toMatchObject({ status: 'RESOLVED', resolutionReason: 'FALSE_POSITIVE', reopenedCount: 0 });
  });

  it('with an approved namespace exception, the next evaluation neither reopens it nor opens the same problem elsewhere in the namespace', async () => {
    const web = fx.byName('web');
    const { exception } = await markFalsePositive(admin.ctx, { findingId: web.id, reason: 'shop runs the CSI node plugin', exception: { scope: 'NAMESPACE', expiresAt: inDays(90) } });
    expect(exception).toMatchObject({ scope: 'NAMESPACE', controlId: 'workload.privileged-container', clusterId: fx.cluster.id, namespace: 'shop', resourceName: null, lastMatchedAt: null, status: 'PENDING' });
    await decideException((await createMember(fx.org, 'OWNER')).ctx, { exceptionId: exception!.id, decision: 'approve' });

    await fx.evaluate(2, [...baseObjects(), app('web'), app('api'), app('batch'), ...baseObjects('other'), app('elsewhere', true, 'other')]);
    const privileged = await fx.db.finding.findMany({ where: { controlId: 'workload.privileged-container' }, orderBy: { resourceName: 'asc' } });
    expect(privileged.map((f) => [f.resourceName, f.status, f.resolutionReason])).toEqual([
      ['api', 'RESOLVED', 'EXCEPTION'], // was open; now covered by the exception
      ['elsewhere', 'OPEN', null], // another namespace: not covered
      ['web', 'RESOLVED', 'FALSE_POSITIVE'],
    ]); // "batch" in shop was never opened
    // The evaluation ran at the snapshot's (fixture) time: list as of the day after.
    const [listed] = await listExceptions(member.ctx, {}, new Date('2026-03-03T00:00:00Z'));
    expect(listed).toMatchObject({ id: exception?.id, isStale: false, clusterName: 'prod' });
    expect(listed?.lastMatchedAt?.toISOString()).toBe('2026-03-02T10:00:00.000Z');
  });

  it('reports an exception that matches nothing as stale', async () => {
    const { exception } = await markFalsePositive(admin.ctx, { findingId: fx.byName('api').id, reason: 'api will be removed this week', exception: { scope: 'RESOURCE', expiresAt: inDays(30) } });
    await fx.evaluate(2, [...baseObjects(), app('web')]); // api is gone: nothing to match
    const [listed] = await listExceptions(member.ctx, { staleAfterDays: 7 }, new Date('2026-03-03T00:00:00Z'));
    expect(listed).toMatchObject({ id: exception?.id, lastMatchedAt: null, isStale: true });
    await deleteException(admin.ctx, exception!.id);
    expect(await listExceptions(member.ctx)).toEqual([]);
    expect(await fx.db.auditLog.count({ where: { action: { in: ['exception.created', 'exception.deleted'] } } })).toBe(2);
  });

  it('refuses a member (403), a risk-accepted or resolved finding (409), a namespace exception for a cluster-scoped resource (400)', async () => {
    const before = await workflowState(fx.org.id);
    await expect(markFalsePositive(member.ctx, { findingId: fx.byName('web').id, reason: 'not a real problem here' })).rejects.toMatchObject({ code: 'forbidden' });
    expect(await workflowState(fx.org.id)).toEqual(before);
    await fx.db.finding.update({ where: { id: fx.byName('web').id }, data: { status: 'RISK_ACCEPTED' } });
    await expect(markFalsePositive(admin.ctx, { findingId: fx.byName('web').id, reason: 'not a real problem here' })).rejects.toMatchObject({ code: 'conflict' });
    await markFalsePositive(admin.ctx, { findingId: fx.byName('api').id, reason: 'not a real problem here' });
    await expect(markFalsePositive(admin.ctx, { findingId: fx.byName('api').id, reason: 'not a real problem here' })).rejects.toMatchObject({ code: 'conflict' });
    const seen = new Date();
    const clusterScoped = await fx.db.finding.create({ data: {
      organizationId: fx.org.id, clusterId: fx.cluster.id, controlId: 'rbac.wildcard-verbs', fingerprint: 'fp-cluster-role', severity: 'HIGH',
      resourceApiVersion: 'rbac.authorization.k8s.io/v1', resourceKind: 'ClusterRole', resourceName: 'everything', message: 'm', evidence: {}, firstSeenAt: seen, lastSeenAt: seen,
    } });
    await expect(markFalsePositive(admin.ctx, { findingId: clusterScoped.id, reason: 'not a real problem here', exception: { scope: 'NAMESPACE', expiresAt: inDays(5) } }))
      .rejects.toMatchObject({ code: 'invalid', issues: [{ path: 'exception.scope' }] });
  });

  it('answers 404 to another organization and changes nothing', async () => {
    const theirs = await orgWithFindings(['x']);
    const outsider = await createMember(theirs.org, 'OWNER');
    const before = await workflowState(fx.org.id);
    await expect(markFalsePositive(outsider.ctx, { findingId: fx.byName('web').id, reason: 'not a real problem here', exception: { scope: 'CLUSTER', expiresAt: inDays(5) } })).rejects.toMatchObject({ code: 'not_found' });
    await expect(getFinding(outsider.ctx, fx.byName('web').id)).rejects.toMatchObject({ code: 'not_found' });
    const { exception } = await markFalsePositive(admin.ctx, { findingId: fx.byName('api').id, reason: 'not a real problem here', exception: { scope: 'CLUSTER', expiresAt: inDays(5) } });
    await expect(deleteException(outsider.ctx, exception!.id)).rejects.toMatchObject({ code: 'not_found' });
    expect(await listExceptions(outsider.ctx)).toEqual([]);
    expect((await workflowState(fx.org.id)).exceptions).toBe(before.exceptions + 1);
  });
});

describe('a finding\'s detail', () => {
  it('shows the control, its framework mappings, the cluster, the same problem elsewhere, one timeline and the risk requests', async () => {
    const web = fx.byName('web');
    // The same Deployment, privileged too, on a second cluster of the organization.
    const second = await createClusterWithToken(fx.org, 'staging');
    const pushed = await pushSnapshot(second.token, snapshotOf([...baseObjects(), app('web')], { collectedAt: '2026-03-01T11:00:00Z', clusterUid: 'uid-staging' }));
    await evaluateStoredSnapshot(systemContext(fx.org.id, 'test'), pushed.snapshotId);

    await acknowledgeFindings(member.ctx, { findingIds: [web.id], note: 'on it' });
    await addComment(member.ctx, { findingIds: [web.id], body: 'The CSI plugin needs it' });
    await requestRiskAcceptance(member.ctx, { findingId: web.id, justification: 'The storage plugin needs privileged mode for now.', expiresAt: inDays(30) });

    const detail = await getFinding(member.ctx, web.id);
    expect(detail.finding).toMatchObject({ id: web.id, status: 'ACKNOWLEDGED', cluster: { name: 'prod' }, acknowledgedBy: { id: member.user.id } });
    expect(detail.control).toMatchObject({ id: 'workload.privileged-container', title: 'Containers do not run privileged' });
    expect(detail.control?.remediation).toMatch(/privileged: false/);
    expect(detail.mappings).toEqual(expect.arrayContaining([expect.objectContaining({ frameworkId: 'cis-k8s-1.9', code: '5.2.2' })]));
    expect(detail.otherClusters).toEqual([expect.objectContaining({ clusterName: 'staging', status: 'OPEN' })]);
    expect(detail.timeline.map((entry) => (entry.kind === 'event' ? entry.type : 'comment'))).toEqual(['opened', 'acknowledged', 'comment', 'risk_requested']);
    expect(detail.timeline[2]).toMatchObject({ kind: 'comment', body: 'The CSI plugin needs it', actor: { id: member.user.id } });
    expect(detail.riskAcceptances).toEqual([expect.objectContaining({ status: 'PENDING', requestedBy: expect.objectContaining({ id: member.user.id }) })]);
    expect(detail.tickets).toEqual([]);
    await expect(getFinding(member.ctx, 'not-a-uuid')).rejects.toMatchObject({ code: 'not_found' });
  });
});
