import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { disconnectDb } from '../../platform/db/client';
import { systemDb } from '../../platform/db/tenant';
import { closeProducers } from '../../platform/queue/producers';
import { dispatchDomainEvents } from '../events/dispatch';
import { createMember } from '../../testing/factories';
import type { OrgContext } from '../../platform/auth/context';
import { app, baseObjects, orgWithFindings, workflowState, type Fixture } from '../../testing/findings-fixture';
import { createTicket, linkTicketFindings } from './create-ticket';
import { addTicketUpdate, updateTicket } from './update-ticket';
import { listTickets } from './list-tickets';
import { getTicket } from './get-ticket';

afterAll(async () => { await closeProducers(); await disconnectDb(); });

type Person = { user: { id: string }; ctx: OrgContext };
let fx: Fixture;
let member: Person;

beforeEach(async () => {
  fx = await orgWithFindings(['api', 'web']);
  member = await createMember(fx.org, 'MEMBER');
});

const ids = () => fx.findings.map((finding) => finding.id);

describe('creating tickets', () => {
  it('opens ticket #1 from two findings, linking each with an event on its timeline', async () => {
    const ticket = await createTicket(member.ctx, { title: 'Privileged workloads in shop', severity: 'SEV2', findingIds: ids(), assigneeUserId: member.user.id });
    expect(ticket).toMatchObject({ number: 1, status: 'OPEN', severity: 'SEV2', createdById: member.user.id });
    expect(await fx.db.ticketFinding.count({ where: { ticketId: ticket.id } })).toBe(2);
    const linked = await fx.db.findingEvent.findMany({ where: { type: 'ticket_linked' } });
    expect(linked.map((event) => event.findingId).sort()).toEqual([...ids()].sort());
    expect(linked[0]?.data).toEqual({ ticketId: ticket.id, number: 1 });
    expect(await fx.db.auditLog.count({ where: { action: 'ticket.created', targetId: ticket.id } })).toBe(1);
    expect(await fx.db.domainEvent.count({ where: { type: 'ticket.created' } })).toBe(1);

    const detail = await getTicket(member.ctx, '1');
    expect(detail.findings.map((finding) => [finding.resourceName, finding.status])).toEqual(expect.arrayContaining([['api', 'OPEN'], ['web', 'OPEN']]));
    expect(detail.timeline.map((event) => event.type)).toEqual(['created']);
  });

  it('numbers tickets per organization without duplicates, even when created at the same time', async () => {
    const tickets = await Promise.all(Array.from({ length: 6 }, (_, i) => createTicket(member.ctx, { title: `Standalone ${i}`, severity: 'SEV4' })));
    expect(tickets.map((ticket) => ticket.number).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
    const other = await orgWithFindings(['x']);
    const { ctx } = await createMember(other.org, 'MEMBER');
    expect((await createTicket(ctx, { title: 'Theirs', severity: 'SEV3' })).number).toBe(1);
  });

  it('refuses an assignee outside the organization (400), and auditors and viewers (403)', async () => {
    const other = await orgWithFindings(['x']);
    const outsider = await createMember(other.org, 'MEMBER');
    await expect(createTicket(member.ctx, { title: 'T', severity: 'SEV3', assigneeUserId: outsider.user.id })).rejects.toMatchObject({ code: 'invalid' });
    for (const role of ['AUDITOR', 'VIEWER'] as const) {
      const { ctx } = await createMember(fx.org, role);
      await expect(createTicket(ctx, { title: 'T', severity: 'SEV3' })).rejects.toMatchObject({ code: 'forbidden' });
      expect((await listTickets(ctx)).items).toEqual([]); // reading is fine
    }
    expect(await fx.db.ticket.count()).toBe(0);
  });
});

describe('moving a ticket along', () => {
  it('moves forward only, records each change, and closes only with a root cause and a resolution', async () => {
    const ticket = await createTicket(member.ctx, { title: 'Privileged workloads', severity: 'SEV2', findingIds: ids() });
    await updateTicket(member.ctx, { ticketId: ticket.id, status: 'INVESTIGATING', severity: 'SEV1' });
    await expect(updateTicket(member.ctx, { ticketId: ticket.id, status: 'OPEN' })).rejects.toMatchObject({ code: 'conflict' });
    await updateTicket(member.ctx, { ticketId: ticket.id, status: 'MITIGATED' });
    await expect(updateTicket(member.ctx, { ticketId: ticket.id, status: 'CLOSED', rootCause: 'Helm chart default' }))
      .rejects.toMatchObject({ code: 'invalid', issues: [{ path: 'resolution' }] });
    const closed = await updateTicket(member.ctx, { ticketId: ticket.id, status: 'CLOSED', rootCause: 'Helm chart default', resolution: 'Chart fixed', followUps: 'Add a policy' });
    expect(closed).toMatchObject({ status: 'CLOSED', rootCause: 'Helm chart default', resolution: 'Chart fixed' });
    expect(closed.closedAt).toBeInstanceOf(Date);
    await expect(updateTicket(member.ctx, { ticketId: ticket.id, title: 'Renamed' })).rejects.toMatchObject({ code: 'conflict' });
    await addTicketUpdate(member.ctx, { ticketId: ticket.id, body: 'Post-incident review done' });

    const { timeline } = await getTicket(member.ctx, ticket.id);
    const changes = (data: unknown) => ((data as { changes?: { field: string }[] }).changes ?? []).map((change) => change.field);
    expect(timeline.map((event) => [event.type, changes(event.data)])).toEqual([
      ['created', []],
      ['status_changed', ['status', 'severity']],
      ['status_changed', ['status']],
      ['status_changed', ['status', 'rootCause', 'resolution', 'followUps']],
      ['note', []],
    ]);
    expect(timeline[1]).toMatchObject({ data: { changes: [{ field: 'status', from: 'OPEN', to: 'INVESTIGATING' }, { field: 'severity', from: 'SEV2', to: 'SEV1' }] }, actor: { id: member.user.id } });
    // What the ticket page shows: each status change names both statuses (it read "moved it from ? to ?").
    const who = await fx.db.user.findUniqueOrThrow({ where: { id: member.user.id } });
    const name = who.name?.trim() || who.email;
    expect(timeline.map((event) => event.line.text)).toEqual([
      `${name} opened the ticket with 2 findings`,
      `${name} moved it from Open to Investigating and changed the severity from SEV2 to SEV1`,
      `${name} moved it from Investigating to Mitigated`,
      `${name} moved it from Mitigated to Closed with 2 linked findings still open, updated the root cause, updated the resolution and updated the follow-ups`,
      `${name} added an update`,
    ]);
    expect(timeline.map((event) => event.line.text).join('\n')).not.toContain('?');
    expect(await fx.db.auditLog.count({ where: { action: 'ticket.updated', targetId: ticket.id } })).toBe(3);
    expect(await fx.db.domainEvent.count({ where: { type: 'ticket.updated' } })).toBe(4); // three updates and the note
  });

  it('names the assignee and the due date on the timeline', async () => {
    const dana = await createMember(fx.org, 'MEMBER');
    const ticket = await createTicket(member.ctx, { title: 'T', severity: 'SEV3' });
    await updateTicket(member.ctx, { ticketId: ticket.id, assigneeUserId: dana.user.id, dueAt: new Date('2026-12-24T00:00:00Z') });
    await updateTicket(member.ctx, { ticketId: ticket.id, assigneeUserId: null, status: 'INVESTIGATING' });
    const danaRow = await fx.db.user.findUniqueOrThrow({ where: { id: dana.user.id } });
    const me = await fx.db.user.findUniqueOrThrow({ where: { id: member.user.id } });
    const texts = (await getTicket(member.ctx, ticket.id)).timeline.map((event) => event.line.text.replace(`${me.name?.trim() || me.email} `, ''));
    expect(texts.slice(1)).toEqual([
      `assigned it to ${danaRow.name?.trim() || danaRow.email} and set the due date to 2026-12-24`,
      'moved it from Open to Investigating and unassigned it',
    ]);
  });

  it('filters and pages the ticket list', async () => {
    for (const [i, severity] of (['SEV1', 'SEV2', 'SEV1', 'SEV3', 'SEV1'] as const).entries()) await createTicket(member.ctx, { title: `T${i}`, severity });
    const sev1 = await listTickets(member.ctx, { severity: 'SEV1' });
    expect(sev1.items.map((ticket) => ticket.number)).toEqual([5, 3, 1]);
    const first = await listTickets(member.ctx, { limit: 2 });
    const second = await listTickets(member.ctx, { limit: 2, cursor: first.nextCursor ?? undefined });
    expect([...first.items, ...second.items].map((ticket) => ticket.number)).toEqual([5, 4, 3, 2]);
    await updateTicket(member.ctx, { ticketId: first.items[0]!.id, status: 'INVESTIGATING' });
    expect((await listTickets(member.ctx, { status: ['INVESTIGATING'] })).items.map((ticket) => ticket.number)).toEqual([5]);
  });
});

describe('what happens to linked findings', () => {
  it('notes on every open ticket that a linked finding was resolved by a later snapshot, after dispatch', async () => {
    const open = await createTicket(member.ctx, { title: 'web is privileged', severity: 'SEV2', findingIds: [fx.byName('web').id] });
    const closed = await createTicket(member.ctx, { title: 'old incident', severity: 'SEV4', findingIds: [fx.byName('web').id] });
    await updateTicket(member.ctx, { ticketId: closed.id, status: 'CLOSED', rootCause: 'r', resolution: 'r' });
    await fx.evaluate(2, [...baseObjects(), app('api'), app('web', false)]);
    expect(await fx.db.ticketEvent.count({ where: { type: 'finding_resolved' } })).toBe(0); // not before dispatch
    await dispatchDomainEvents();
    const notes = await fx.db.ticketEvent.findMany({ where: { type: 'finding_resolved' } });
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ ticketId: open.id, data: { findingId: fx.byName('web').id, resolutionReason: 'FIXED', resource: 'Deployment shop/web' } });
    expect((await getTicket(member.ctx, open.id)).findings[0]).toMatchObject({ status: 'RESOLVED', resolutionReason: 'FIXED' });
  });

  it('opens a SEV1 ticket by itself for a new critical finding when the organization asks for it', async () => {
    await systemDb().organization.update({ where: { id: fx.org.id }, data: { autoTicketCritical: true } });
    await fx.evaluate(2, [...baseObjects(), app('api'), app('web'), app('batch')]);
    await dispatchDomainEvents();
    const batch = await fx.db.finding.findFirstOrThrow({ where: { controlId: 'workload.privileged-container', resourceName: 'batch' } });
    const tickets = await fx.db.ticket.findMany({ include: { findings: true } });
    expect(tickets).toHaveLength(1);
    expect(tickets[0]).toMatchObject({ severity: 'SEV1', createdById: null, title: expect.stringContaining('Deployment shop/batch (prod)') });
    expect(tickets[0]?.findings.map((link) => link.findingId)).toEqual([batch.id]);
    expect(await fx.db.auditLog.findFirst({ where: { action: 'ticket.created' } })).toMatchObject({ actorType: 'system', actorLabel: 'system:dispatch-events' });
  });

  it('links more findings to an open ticket, not to a closed one', async () => {
    const ticket = await createTicket(member.ctx, { title: 'T', severity: 'SEV3', findingIds: [fx.byName('web').id] });
    expect(await linkTicketFindings(member.ctx, { ticketId: ticket.id, findingIds: ids() })).toEqual({ linked: 1 });
    await updateTicket(member.ctx, { ticketId: ticket.id, status: 'CLOSED', rootCause: 'r', resolution: 'r' });
    await expect(linkTicketFindings(member.ctx, { ticketId: ticket.id, findingIds: ids() })).rejects.toMatchObject({ code: 'conflict' });
  });
});

describe('the tenant boundary', () => {
  it('answers 404 to another organization for every ticket action and changes nothing', async () => {
    const ticket = await createTicket(member.ctx, { title: 'Ours', severity: 'SEV2', findingIds: [fx.byName('web').id] });
    const theirs = await orgWithFindings(['x']);
    const outsider = await createMember(theirs.org, 'OWNER');
    const before = await workflowState(fx.org.id);
    const beforeTheirs = await workflowState(theirs.org.id);
    await expect(getTicket(outsider.ctx, ticket.id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(updateTicket(outsider.ctx, { ticketId: ticket.id, status: 'INVESTIGATING' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(addTicketUpdate(outsider.ctx, { ticketId: ticket.id, body: 'hi' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(linkTicketFindings(outsider.ctx, { ticketId: ticket.id, findingIds: theirs.findings.map((f) => f.id) })).rejects.toMatchObject({ code: 'not_found' });
    await expect(createTicket(outsider.ctx, { title: 'Steal', severity: 'SEV1', findingIds: [theirs.findings[0]!.id, fx.byName('api').id] })).rejects.toMatchObject({ code: 'not_found' });
    expect((await listTickets(outsider.ctx)).items).toEqual([]);
    expect(await workflowState(fx.org.id)).toEqual(before);
    expect(await workflowState(theirs.org.id)).toEqual(beforeTheirs);
    expect(await fx.db.ticketEvent.count()).toBe(1);
  });
});
