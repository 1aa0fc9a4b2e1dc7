import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { disconnectDb } from '../../platform/db/client';
import { dbFor } from '../../platform/db/tenant';
import { closeProducers } from '../../platform/queue/producers';
import { createMember, createOrg } from '../../testing/factories';
import type { OrgContext } from '../../platform/auth/context';
import { acknowledgeFindings } from './acknowledge-findings';
import { assignFindings } from './assign-findings';
import { setDueDate } from './set-due-date';
import { addComment } from './add-comment';
import { orgWithFindings, workflowState, type Fixture } from '../../testing/findings-fixture';

afterAll(async () => { await closeProducers(); await disconnectDb(); });

let fx: Fixture;
let member: { user: { id: string }; ctx: OrgContext };

beforeEach(async () => {
  fx = await orgWithFindings(['api', 'web', 'worker']);
  member = await createMember(fx.org, 'MEMBER');
});

const ids = () => fx.findings.map((finding) => finding.id);

describe('acknowledging findings', () => {
  it('moves open findings to Acknowledged, with who and when, a timeline event and an audit entry each', async () => {
    const result = await acknowledgeFindings(member.ctx, { findingIds: ids().slice(0, 2), note: 'looking into it' });
    expect(result).toEqual({ acknowledged: 2 });
    const rows = await fx.db.finding.findMany({ where: { id: { in: ids().slice(0, 2) } } });
    expect(rows.every((row) => row.status === 'ACKNOWLEDGED' && row.acknowledgedById === member.user.id && row.acknowledgedAt)).toBe(true);
    const events = await fx.db.findingEvent.findMany({ where: { type: 'acknowledged' } });
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({ actorUserId: member.user.id, data: { note: 'looking into it' } });
    expect(await fx.db.auditLog.count({ where: { action: 'finding.acknowledged' } })).toBe(2);
  });

  it('refuses the whole request, naming the findings that are not open, and changes nothing', async () => {
    await acknowledgeFindings(member.ctx, { findingIds: [fx.byName('api').id] });
    const before = await workflowState(fx.org.id);
    const refused = acknowledgeFindings(member.ctx, { findingIds: ids() });
    await expect(refused).rejects.toMatchObject({ code: 'conflict', issues: [{ path: `findingIds.${fx.byName('api').id}`, message: 'is acknowledged' }] });
    expect(await workflowState(fx.org.id)).toEqual(before);
  });
});

describe('assigning findings', () => {
  it('assigns to a member and tells them, once for several findings', async () => {
    const dana = await createMember(fx.org, 'MEMBER');
    await assignFindings(member.ctx, { findingIds: ids(), assigneeUserId: dana.user.id });
    expect(await fx.db.finding.count({ where: { assigneeUserId: dana.user.id } })).toBe(3);
    const notifications = await fx.db.notification.findMany({ where: { userId: dana.user.id } });
    expect(notifications).toHaveLength(1);
    expect(notifications[0]).toMatchObject({ type: 'finding.assigned', title: '3 findings were assigned to you' });
    expect(await fx.db.findingEvent.count({ where: { type: 'assigned' } })).toBe(3);
  });

  it('assigns to a team and tells each member but the one who assigned', async () => {
    const [a, b] = [await createMember(fx.org, 'MEMBER'), await createMember(fx.org, 'VIEWER')];
    const team = await fx.db.team.create({ data: { organizationId: fx.org.id, name: 'Platform' } });
    await fx.db.teamMember.createMany({ data: [a, b, member].map((m) => ({ organizationId: fx.org.id, teamId: team.id, userId: m.user.id })) });
    await assignFindings(member.ctx, { findingIds: [fx.byName('web').id], assigneeTeamId: team.id });
    expect((await fx.db.finding.findUniqueOrThrow({ where: { id: fx.byName('web').id } })).assigneeTeamId).toBe(team.id);
    const notified = await fx.db.notification.findMany({ select: { userId: true, title: true, link: true } });
    expect(notified.map((n) => n.userId).sort()).toEqual([a.user.id, b.user.id].sort());
    expect(notified[0]?.title).toBe('Assigned to your team: workload.privileged-container on Deployment shop/web');
    expect(notified[0]?.link).toBe(`/o/${fx.org.slug}/findings/${fx.byName('web').id}`);
  });

  it('unassigns with null', async () => {
    await assignFindings(member.ctx, { findingIds: ids(), assigneeUserId: member.user.id });
    await assignFindings(member.ctx, { findingIds: ids(), assigneeUserId: null, assigneeTeamId: null });
    expect(await fx.db.finding.count({ where: { assigneeUserId: { not: null } } })).toBe(0);
  });

  it('refuses an assignee who is not a member (400) and a team of another organization (404)', async () => {
    const other = await createOrg();
    const outsider = await createMember(other, 'MEMBER');
    const otherTeam = await dbFor({ organizationId: other.id }).team.create({ data: { organizationId: other.id, name: 'Theirs' } });
    const before = await workflowState(fx.org.id);
    await expect(assignFindings(member.ctx, { findingIds: ids(), assigneeUserId: outsider.user.id })).rejects.toMatchObject({ code: 'invalid' });
    await expect(assignFindings(member.ctx, { findingIds: ids(), assigneeTeamId: otherTeam.id })).rejects.toMatchObject({ code: 'not_found' });
    expect(await workflowState(fx.org.id)).toEqual(before);
  });
});

describe('due dates and comments', () => {
  it('sets a due date with the previous one in the timeline', async () => {
    const web = fx.byName('web');
    await setDueDate(member.ctx, { findingIds: [web.id], dueAt: '2026-04-30T00:00:00Z' });
    expect((await fx.db.finding.findUniqueOrThrow({ where: { id: web.id } })).dueAt?.toISOString()).toBe('2026-04-30T00:00:00.000Z');
    const event = await fx.db.findingEvent.findFirstOrThrow({ where: { findingId: web.id, type: 'due_date_set' } });
    expect(event.data).toEqual({ from: web.dueAt?.toISOString(), to: '2026-04-30T00:00:00.000Z' });
  });

  it('adds the same comment to several findings, and refuses an empty one', async () => {
    const { commentIds } = await addComment(member.ctx, { findingIds: ids(), body: '  Tracked in INC-42  ' });
    expect(commentIds).toHaveLength(3);
    const comments = await fx.db.comment.findMany();
    expect(comments.every((c) => c.body === 'Tracked in INC-42' && c.authorId === member.user.id)).toBe(true);
    await expect(addComment(member.ctx, { findingIds: ids(), body: '   ' })).rejects.toMatchObject({ code: 'invalid' });
    await expect(addComment(member.ctx, { findingIds: ids(), body: 'x'.repeat(5001) })).rejects.toMatchObject({ code: 'invalid' });
  });
});

describe('who may change findings', () => {
  const attempts = (ctx: OrgContext, findingIds: string[], assignee: string) => [
    () => acknowledgeFindings(ctx, { findingIds }),
    () => assignFindings(ctx, { findingIds, assigneeUserId: assignee }),
    () => setDueDate(ctx, { findingIds, dueAt: '2026-05-01T00:00:00Z' }),
    () => addComment(ctx, { findingIds, body: 'hello' }),
  ];

  it.each(['AUDITOR', 'VIEWER'] as const)('refuses the %s role with 403 and changes nothing', async (role) => {
    const { ctx } = await createMember(fx.org, role);
    const before = await workflowState(fx.org.id);
    for (const attempt of attempts(ctx, ids(), member.user.id)) await expect(attempt()).rejects.toMatchObject({ code: 'forbidden' });
    expect(await workflowState(fx.org.id)).toEqual(before);
  });

  it('answers 404 to a member of another organization, for its ids alone or mixed with their own, and changes nothing', async () => {
    const theirs = await orgWithFindings(['shop-front']);
    const outsider = await createMember(theirs.org, 'OWNER');
    const beforeA = await workflowState(fx.org.id);
    const beforeB = await workflowState(theirs.org.id);
    for (const findingIds of [ids(), [...ids(), theirs.findings[0]!.id]]) {
      for (const attempt of attempts(outsider.ctx, findingIds, outsider.user.id)) await expect(attempt()).rejects.toMatchObject({ code: 'not_found' });
    }
    expect(await workflowState(fx.org.id)).toEqual(beforeA);
    expect(await workflowState(theirs.org.id)).toEqual(beforeB);
  });

  it('refuses comments from an API token: a comment is signed by a person', async () => {
    const ctx: OrgContext = { organizationId: fx.org.id, organizationSlug: fx.org.slug, actor: { kind: 'apiToken', tokenId: 'token-1', role: 'ADMIN' } };
    await expect(addComment(ctx, { findingIds: ids(), body: 'from CI' })).rejects.toMatchObject({ code: 'forbidden' });
  });
});
