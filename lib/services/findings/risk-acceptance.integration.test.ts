import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { disconnectDb } from '../../platform/db/client';
import { closeProducers } from '../../platform/queue/producers';
import { expireRiskAcceptances } from '../pipeline/maintenance';
import { dispatchDomainEvents } from '../events/dispatch';
import { createMember } from '../../testing/factories';
import type { OrgContext } from '../../platform/auth/context';
import { requestRiskAcceptance } from './request-risk-acceptance';
import { decideRiskAcceptance } from './decide-risk-acceptance';
import { revokeRiskAcceptance } from './revoke-risk-acceptance';
import { acknowledgeFindings } from './acknowledge-findings';
import { orgWithFindings, workflowState, type Fixture } from '../../testing/findings-fixture';

afterAll(async () => { await closeProducers(); await disconnectDb(); });

const DAY = 86_400_000;
const inDays = (days: number) => new Date(Date.now() + days * DAY);
const JUSTIFICATION = 'The legacy storage driver needs privileged mode until the Q3 migration.';

type Person = { user: { id: string }; ctx: OrgContext };
let fx: Fixture;
let member: Person;
let admin: Person;
let otherAdmin: Person;

beforeEach(async () => {
  fx = await orgWithFindings(['api', 'web']);
  member = await createMember(fx.org, 'MEMBER');
  admin = await createMember(fx.org, 'ADMIN');
  otherAdmin = await createMember(fx.org, 'OWNER');
});

async function latestClusterScore() {
  return fx.db.scorePoint.findFirstOrThrow({ where: { clusterId: fx.cluster.id, frameworkId: 'cis-k8s-1.9' }, orderBy: [{ at: 'desc' }, { id: 'desc' }] });
}

describe('requesting a risk acceptance', () => {
  it('lets a member ask, leaves the finding as it is, and tells the owners and admins', async () => {
    const web = fx.byName('web');
    const request = await requestRiskAcceptance(member.ctx, { findingId: web.id, justification: JUSTIFICATION, expiresAt: inDays(90) });
    expect(request).toMatchObject({ status: 'PENDING', requestedById: member.user.id, findingId: web.id });
    expect((await fx.db.finding.findUniqueOrThrow({ where: { id: web.id } })).status).toBe('OPEN');
    await dispatchDomainEvents();
    const notified = await fx.db.notification.findMany({ where: { type: 'risk.requested' } });
    expect(notified.map((n) => n.userId).sort()).toEqual([admin.user.id, otherAdmin.user.id].sort());
  });

  it('refuses an expiry more than 365 days away, in the past, or a short justification (400)', async () => {
    const findingId = fx.byName('web').id;
    await expect(requestRiskAcceptance(member.ctx, { findingId, justification: JUSTIFICATION, expiresAt: inDays(366) })).rejects.toMatchObject({ code: 'invalid', issues: [{ path: 'expiresAt' }] });
    await expect(requestRiskAcceptance(member.ctx, { findingId, justification: JUSTIFICATION, expiresAt: inDays(-1) })).rejects.toMatchObject({ code: 'invalid' });
    await expect(requestRiskAcceptance(member.ctx, { findingId, justification: 'because', expiresAt: inDays(30) })).rejects.toMatchObject({ code: 'invalid', issues: [{ path: 'justification' }] });
  });

  it('allows one pending request per finding, and none for a resolved one', async () => {
    const findingId = fx.byName('web').id;
    await requestRiskAcceptance(member.ctx, { findingId, justification: JUSTIFICATION, expiresAt: inDays(30) });
    await expect(requestRiskAcceptance(admin.ctx, { findingId, justification: JUSTIFICATION, expiresAt: inDays(30) })).rejects.toMatchObject({ code: 'conflict' });
    await fx.db.finding.update({ where: { id: fx.byName('api').id }, data: { status: 'RESOLVED' } });
    await expect(requestRiskAcceptance(member.ctx, { findingId: fx.byName('api').id, justification: JUSTIFICATION, expiresAt: inDays(30) })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('accepts a request for an acknowledged finding; refuses auditors and viewers', async () => {
    const findingId = fx.byName('web').id;
    await acknowledgeFindings(member.ctx, { findingIds: [findingId] });
    await expect(requestRiskAcceptance(member.ctx, { findingId, justification: JUSTIFICATION, expiresAt: inDays(30) })).resolves.toMatchObject({ status: 'PENDING' });
    for (const role of ['AUDITOR', 'VIEWER'] as const) {
      const { ctx } = await createMember(fx.org, role);
      await expect(requestRiskAcceptance(ctx, { findingId: fx.byName('api').id, justification: JUSTIFICATION, expiresAt: inDays(30) })).rejects.toMatchObject({ code: 'forbidden' });
    }
  });
});

describe('deciding a risk acceptance', () => {
  it('never lets the requester decide their own request, even as an admin: 403 from the service', async () => {
    const request = await requestRiskAcceptance(admin.ctx, { findingId: fx.byName('web').id, justification: JUSTIFICATION, expiresAt: inDays(30) });
    const before = await workflowState(fx.org.id);
    const own = decideRiskAcceptance(admin.ctx, { riskAcceptanceId: request.id, decision: 'approve' });
    await expect(own).rejects.toMatchObject({ code: 'forbidden', message: expect.stringMatching(/another owner or admin/) });
    expect(await workflowState(fx.org.id)).toEqual(before);
  });

  it('is refused by the database too when the decider is the requester', async () => {
    const request = await requestRiskAcceptance(admin.ctx, { findingId: fx.byName('web').id, justification: JUSTIFICATION, expiresAt: inDays(30) });
    await expect(fx.db.riskAcceptance.update({
      where: { id: request.id }, data: { status: 'APPROVED', decidedById: admin.user.id, decidedAt: new Date() },
    })).rejects.toThrow(/RiskAcceptance_decider_is_not_requester/);
  });

  it('approval by another admin accepts the finding, freezes what was approved, and raises the accepted count of the score', async () => {
    const web = fx.byName('web');
    const request = await requestRiskAcceptance(member.ctx, { findingId: web.id, justification: JUSTIFICATION, expiresAt: inDays(180) });
    const scoreBefore = await latestClusterScore();
    expect(scoreBefore.accepted).toBe(0);
    const approved = await decideRiskAcceptance(admin.ctx, { riskAcceptanceId: request.id, decision: 'approve', note: 'until Q3' });
    expect(approved).toMatchObject({ status: 'APPROVED', decidedById: admin.user.id, decisionNote: 'until Q3' });
    expect(approved.findingAtDecision).toMatchObject({ id: web.id, status: 'OPEN', controlId: 'workload.privileged-container', resourceName: 'web', clusterName: 'prod', evidence: web.evidence });
    expect((await fx.db.finding.findUniqueOrThrow({ where: { id: web.id } })).status).toBe('RISK_ACCEPTED');
    // The other privileged Deployment still fails the control; accept it too and the requirement passes as "accepted".
    const api = await requestRiskAcceptance(member.ctx, { findingId: fx.byName('api').id, justification: JUSTIFICATION, expiresAt: inDays(180) });
    await decideRiskAcceptance(otherAdmin.ctx, { riskAcceptanceId: api.id, decision: 'approve' });
    const scoreAfter = await latestClusterScore();
    expect(scoreAfter.accepted).toBeGreaterThan(0);
    expect(scoreAfter.score).toBeGreaterThan(scoreBefore.score);
    expect(await fx.db.findingEvent.count({ where: { findingId: web.id, type: 'risk_approved' } })).toBe(1);

    await dispatchDomainEvents();
    const told = await fx.db.notification.findMany({ where: { userId: member.user.id, type: 'risk.approved' } });
    expect(told).toHaveLength(2);
    expect(told[0]?.title).toMatch(/^Your risk acceptance was approved: workload.privileged-container on Deployment shop\//);
  });

  it('rejection leaves the finding as it was and tells the requester', async () => {
    const web = fx.byName('web');
    await acknowledgeFindings(member.ctx, { findingIds: [web.id] });
    const request = await requestRiskAcceptance(member.ctx, { findingId: web.id, justification: JUSTIFICATION, expiresAt: inDays(30) });
    const rejected = await decideRiskAcceptance(admin.ctx, { riskAcceptanceId: request.id, decision: 'reject', note: 'fix it instead' });
    expect(rejected).toMatchObject({ status: 'REJECTED', decidedById: admin.user.id, findingAtDecision: null });
    expect((await fx.db.finding.findUniqueOrThrow({ where: { id: web.id } })).status).toBe('ACKNOWLEDGED');
    await expect(decideRiskAcceptance(otherAdmin.ctx, { riskAcceptanceId: request.id, decision: 'approve' })).rejects.toMatchObject({ code: 'conflict' });
    await dispatchDomainEvents();
    expect(await fx.db.notification.count({ where: { userId: member.user.id, type: 'risk.rejected' } })).toBe(1);
  });

  it('refuses members (403) and another organization (404), changing nothing', async () => {
    const request = await requestRiskAcceptance(member.ctx, { findingId: fx.byName('web').id, justification: JUSTIFICATION, expiresAt: inDays(30) });
    const theirs = await orgWithFindings(['x']);
    const outsider = await createMember(theirs.org, 'OWNER');
    const before = await workflowState(fx.org.id);
    await expect(decideRiskAcceptance(member.ctx, { riskAcceptanceId: request.id, decision: 'approve' })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(decideRiskAcceptance(outsider.ctx, { riskAcceptanceId: request.id, decision: 'approve' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(revokeRiskAcceptance(outsider.ctx, { riskAcceptanceId: request.id })).rejects.toMatchObject({ code: 'not_found' });
    await expect(requestRiskAcceptance(outsider.ctx, { findingId: fx.byName('api').id, justification: JUSTIFICATION, expiresAt: inDays(30) })).rejects.toMatchObject({ code: 'not_found' });
    expect(await workflowState(fx.org.id)).toEqual(before);
  });
});

describe('the end of a risk acceptance', () => {
  it('reopens the finding when it expires', async () => {
    const web = fx.byName('web');
    const request = await requestRiskAcceptance(member.ctx, { findingId: web.id, justification: JUSTIFICATION, expiresAt: inDays(10) });
    await decideRiskAcceptance(admin.ctx, { riskAcceptanceId: request.id, decision: 'approve' });
    expect(await expireRiskAcceptances(inDays(11))).toBe(1);
    expect((await fx.db.finding.findUniqueOrThrow({ where: { id: web.id } })).status).toBe('OPEN');
    expect(await fx.db.riskAcceptance.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({ status: 'EXPIRED' });
    await dispatchDomainEvents();
    expect(await fx.db.notification.count({ where: { userId: member.user.id, type: 'risk.expired' } })).toBe(1);
  });

  it('an admin revokes an approved acceptance (finding reopens); a requester withdraws their own pending one', async () => {
    const web = fx.byName('web');
    const approved = await requestRiskAcceptance(member.ctx, { findingId: web.id, justification: JUSTIFICATION, expiresAt: inDays(10) });
    await decideRiskAcceptance(admin.ctx, { riskAcceptanceId: approved.id, decision: 'approve' });
    await expect(revokeRiskAcceptance(member.ctx, { riskAcceptanceId: approved.id })).rejects.toMatchObject({ code: 'forbidden' });
    await revokeRiskAcceptance(otherAdmin.ctx, { riskAcceptanceId: approved.id, reason: 'driver replaced' });
    expect((await fx.db.finding.findUniqueOrThrow({ where: { id: web.id } })).status).toBe('OPEN');

    const pending = await requestRiskAcceptance(member.ctx, { findingId: fx.byName('api').id, justification: JUSTIFICATION, expiresAt: inDays(10) });
    await expect(revokeRiskAcceptance(member.ctx, { riskAcceptanceId: pending.id })).resolves.toMatchObject({ status: 'REVOKED' });
    await expect(revokeRiskAcceptance(member.ctx, { riskAcceptanceId: pending.id })).rejects.toMatchObject({ code: 'conflict' });
  });
});
