import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { disconnectDb } from '../../platform/db/client';
import { closeProducers } from '../../platform/queue/producers';
import { seedCatalog } from '../catalog/seed-catalog';
import { createMember } from '../../testing/factories';
import type { OrgContext } from '../../platform/auth/context';
import { markFalsePositive } from './mark-false-positive';
import { decideException } from './decide-exception';
import { getFinding } from './get-finding';
import { dispatchDomainEvents } from '../events/dispatch';
import { listNotifications } from '../notifications/list-notifications';
import { app, baseObjects, orgWithFindings, workflowState, type Fixture } from '../../testing/findings-fixture';

beforeAll(async () => { await seedCatalog(); });
afterAll(async () => { await closeProducers(); await disconnectDb(); });

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000);
type Person = { user: { id: string }; ctx: OrgContext };
let fx: Fixture;
let admin: Person;
let owner: Person;
let member: Person;

beforeEach(async () => {
  fx = await orgWithFindings(['api', 'web']);
  admin = await createMember(fx.org, 'ADMIN');
  owner = await createMember(fx.org, 'OWNER');
  member = await createMember(fx.org, 'MEMBER');
});

const privileged = async () => (await fx.db.finding.findMany({ where: { controlId: 'workload.privileged-container' }, orderBy: { resourceName: 'asc' } }))
  .map((f) => [f.resourceName, f.status, f.resolutionReason]);
const askForNamespace = () => markFalsePositive(admin.ctx, { findingId: fx.byName('web').id, reason: 'shop runs the CSI node plugin', exception: { scope: 'NAMESPACE', expiresAt: inDays(90) } });

describe('a namespace- or cluster-wide false positive needs a second person', () => {
  it('is only a request: the finding stays open and the next evaluation suppresses nothing', async () => {
    const { exception, pendingApproval, finding } = await askForNamespace();
    expect(pendingApproval).toBe(true);
    expect(finding.status).toBe('OPEN');
    expect(exception).toMatchObject({ status: 'PENDING', scope: 'NAMESPACE', namespace: 'shop', findingId: fx.byName('web').id, decidedById: null });
    expect(await fx.db.auditLog.findFirst({ where: { action: 'exception.requested' } })).toMatchObject({ targetId: exception!.id, actorId: admin.user.id });
    expect(await fx.db.domainEvent.findFirst({ where: { type: 'exception.requested' } })).toMatchObject({ data: expect.objectContaining({ exceptionId: exception!.id, requestedById: admin.user.id }) });

    await fx.evaluate(2, [...baseObjects(), app('web'), app('api'), app('batch')]);
    expect(await privileged()).toEqual([['api', 'OPEN', null], ['batch', 'OPEN', null], ['web', 'OPEN', null]]);
    // A second request for the same finding waits behind the first.
    await expect(askForNamespace()).rejects.toMatchObject({ code: 'conflict' });
  });

  it('refuses the requester\'s own approval (403) and a member\'s (403), and changes nothing', async () => {
    const { exception } = await askForNamespace();
    const before = await workflowState(fx.org.id);
    await expect(decideException(admin.ctx, { exceptionId: exception!.id, decision: 'approve' })).rejects.toMatchObject({ code: 'forbidden', message: expect.stringContaining('another owner or admin') });
    await expect(decideException(member.ctx, { exceptionId: exception!.id, decision: 'approve' })).rejects.toMatchObject({ code: 'forbidden' });
    expect(await workflowState(fx.org.id)).toEqual(before);
    expect(await fx.db.findingException.findUniqueOrThrow({ where: { id: exception!.id } })).toMatchObject({ status: 'PENDING', decidedById: null });
  });

  it('once another owner approves, the finding is a false positive and the exception suppresses the control across the namespace', async () => {
    const { exception } = await askForNamespace();
    const approved = await decideException(owner.ctx, { exceptionId: exception!.id, decision: 'approve', note: 'checked with the storage team' });
    expect(approved).toMatchObject({ status: 'APPROVED', decidedById: owner.user.id, decisionNote: 'checked with the storage team' });
    expect(await fx.db.finding.findUniqueOrThrow({ where: { id: fx.byName('web').id } })).toMatchObject({ status: 'RESOLVED', resolutionReason: 'FALSE_POSITIVE' });
    expect(await fx.db.auditLog.findFirst({ where: { action: 'exception.approved' } })).toMatchObject({ targetId: exception!.id, actorId: owner.user.id });

    await fx.evaluate(2, [...baseObjects(), app('web'), app('api'), app('batch'), ...baseObjects('other'), app('elsewhere', true, 'other')]);
    expect(await privileged()).toEqual([['api', 'RESOLVED', 'EXCEPTION'], ['elsewhere', 'OPEN', null], ['web', 'RESOLVED', 'FALSE_POSITIVE']]);
    await expect(decideException(owner.ctx, { exceptionId: exception!.id, decision: 'reject' })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('asks the other owners and admins in their notifications, and tells the requester the outcome', async () => {
    const { exception } = await askForNamespace();
    await dispatchDomainEvents();
    const titles = async (person: Person) => (await listNotifications(person.ctx, { unreadOnly: true })).items.map((n) => n.title);
    expect(await titles(owner)).toEqual(['Exception requested: workload.privileged-container on namespace shop']);
    expect(await titles(admin)).toEqual([]);
    await decideException(owner.ctx, { exceptionId: exception!.id, decision: 'approve' });
    await dispatchDomainEvents();
    expect(await titles(owner)).toEqual([]);
    expect(await titles(admin)).toEqual(['Your exception request was approved: workload.privileged-container on namespace shop']);
  });

  it('once rejected, suppresses nothing and leaves the finding open; the finding page shows the request and its decision', async () => {
    const { exception } = await markFalsePositive(admin.ctx, { findingId: fx.byName('web').id, reason: 'the whole cluster is a lab', exception: { scope: 'CLUSTER', expiresAt: inDays(30) } });
    await decideException(owner.ctx, { exceptionId: exception!.id, decision: 'reject', note: 'prod is not a lab' });
    await fx.evaluate(2, [...baseObjects(), app('web'), app('api')]);
    expect(await privileged()).toEqual([['api', 'OPEN', null], ['web', 'OPEN', null]]);
    const detail = await getFinding(member.ctx, fx.byName('web').id);
    expect(detail.exceptionRequests).toEqual([expect.objectContaining({ id: exception!.id, status: 'REJECTED', scope: 'CLUSTER', requestedBy: expect.objectContaining({ id: admin.user.id }), decidedBy: expect.objectContaining({ id: owner.user.id }) })]);
    expect(detail.timeline.map((entry) => (entry.kind === 'event' ? entry.type : 'comment'))).toEqual(['opened', 'exception_requested', 'exception_rejected']);
  });

  it('lets a single-resource false positive, with its resource exception, take effect at once', async () => {
    const { exception, pendingApproval } = await markFalsePositive(admin.ctx, { findingId: fx.byName('web').id, reason: 'web is the CSI node plugin', exception: { scope: 'RESOURCE', expiresAt: inDays(30) } });
    expect(pendingApproval).toBe(false);
    expect(exception).toMatchObject({ status: 'APPROVED', scope: 'RESOURCE', resourceName: 'web' });
    expect(await fx.db.finding.findUniqueOrThrow({ where: { id: fx.byName('web').id } })).toMatchObject({ status: 'RESOLVED', resolutionReason: 'FALSE_POSITIVE' });
    expect(await fx.db.auditLog.count({ where: { action: { in: ['finding.false_positive', 'exception.created'] }, actorId: admin.user.id } })).toBe(2);
  });

  it('answers 404 to an owner of another organization, and changes nothing', async () => {
    const { exception } = await askForNamespace();
    const theirs = await orgWithFindings(['x']);
    const outsider = await createMember(theirs.org, 'OWNER');
    await expect(decideException(outsider.ctx, { exceptionId: exception!.id, decision: 'approve' })).rejects.toMatchObject({ code: 'not_found' });
    expect(await fx.db.findingException.findUniqueOrThrow({ where: { id: exception!.id } })).toMatchObject({ status: 'PENDING' });
  });
});
