import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { disconnectDb } from '../../platform/db/client';
import { closeProducers } from '../../platform/queue/producers';
import type { OrgContext } from '../../platform/auth/context';
import { seedCatalog } from '../catalog/seed-catalog';
import { createMember } from '../../testing/factories';
import { requestRiskAcceptance } from './request-risk-acceptance';
import { decideRiskAcceptance } from './decide-risk-acceptance';
import { markFalsePositive } from './mark-false-positive';
import { decideException } from './decide-exception';
import { countAwaitingDecision, listPendingApprovals } from './pending-approvals';
import { orgWithFindings, type Fixture } from '../../testing/findings-fixture';

beforeAll(async () => { await seedCatalog(); });
afterAll(async () => { await closeProducers(); await disconnectDb(); });

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000);
type Person = { user: { id: string; email: string }; ctx: OrgContext };
let fx: Fixture;
let alice: Person; // admin who asks
let bob: Person; // owner who decides
let member: Person;

beforeEach(async () => {
  fx = await orgWithFindings(['api', 'web']);
  alice = await createMember(fx.org, 'ADMIN');
  bob = await createMember(fx.org, 'OWNER');
  member = await createMember(fx.org, 'MEMBER');
});

const askToAccept = (who: Person, name: string) => requestRiskAcceptance(who.ctx, {
  findingId: fx.byName(name).id, justification: 'Compensating control: the node pool is isolated and audited.', expiresAt: inDays(30),
});

describe('the approvals queue', () => {
  it('lists a request for everyone who may decide, counts it only for those who may decide it, and marks the requester\'s own', async () => {
    const request = await askToAccept(alice, 'web');
    const forBob = await listPendingApprovals(bob.ctx);
    expect(forBob).toMatchObject({ total: 1, awaitingYou: 1, exceptions: [] });
    expect(forBob.riskAcceptances).toEqual([expect.objectContaining({
      id: request.id, findingId: fx.byName('web').id, canDecide: true,
      requestedBy: expect.objectContaining({ email: alice.user.email }),
      finding: expect.objectContaining({ controlId: 'workload.privileged-container', resource: 'Deployment shop/web', clusterName: 'prod' }),
    })]);
    const forAlice = await listPendingApprovals(alice.ctx);
    expect(forAlice).toMatchObject({ total: 1, awaitingYou: 0 });
    expect(forAlice.riskAcceptances[0]!.canDecide).toBe(false);
    expect(await countAwaitingDecision(bob.ctx)).toBe(1);
    expect(await countAwaitingDecision(alice.ctx)).toBe(0);
  });

  it('refuses the list to a member (403) and counts nothing for them', async () => {
    await askToAccept(alice, 'web');
    await expect(listPendingApprovals(member.ctx)).rejects.toMatchObject({ code: 'forbidden' });
    expect(await countAwaitingDecision(member.ctx)).toBe(0);
  });

  it('drops a request once decided, oldest first while waiting, and covers namespace-wide exception requests too', async () => {
    const first = await askToAccept(alice, 'web');
    const second = await askToAccept(alice, 'api');
    const { exception } = await markFalsePositive(alice.ctx, { findingId: fx.byName('web').id, reason: 'shop runs the CSI node plugin', exception: { scope: 'NAMESPACE', expiresAt: inDays(90) } });
    let queue = await listPendingApprovals(bob.ctx);
    expect(queue.riskAcceptances.map((item) => item.id)).toEqual([first.id, second.id]);
    expect(queue.exceptions).toEqual([expect.objectContaining({ id: exception!.id, scope: 'NAMESPACE', namespace: 'shop', clusterName: 'prod', resource: null, canDecide: true })]);
    expect(queue).toMatchObject({ total: 3, awaitingYou: 3 });

    await decideRiskAcceptance(bob.ctx, { riskAcceptanceId: first.id, decision: 'approve' });
    await decideException(bob.ctx, { exceptionId: exception!.id, decision: 'reject', note: 'fix the plugin instead' });
    queue = await listPendingApprovals(bob.ctx);
    expect(queue.riskAcceptances.map((item) => item.id)).toEqual([second.id]);
    expect(queue.exceptions).toEqual([]);
    expect(await countAwaitingDecision(bob.ctx)).toBe(1);
  });

  it('shows nothing of another organization\'s requests', async () => {
    await askToAccept(alice, 'web');
    const other = await orgWithFindings(['web']);
    const otherOwner = await createMember(other.org, 'OWNER');
    expect(await listPendingApprovals(otherOwner.ctx)).toMatchObject({ total: 0, awaitingYou: 0, riskAcceptances: [], exceptions: [] });
    expect(await countAwaitingDecision(otherOwner.ctx)).toBe(0);
  });

  it('leaves out a request whose requested expiry has passed (it can no longer be approved)', async () => {
    await askToAccept(alice, 'web');
    const later = inDays(31);
    expect(await listPendingApprovals(bob.ctx, later)).toMatchObject({ total: 0, riskAcceptances: [] });
    expect(await countAwaitingDecision(bob.ctx, later)).toBe(0);
  });
});
