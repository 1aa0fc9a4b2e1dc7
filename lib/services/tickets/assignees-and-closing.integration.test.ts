import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { disconnectDb } from '../../platform/db/client';
import { systemDb } from '../../platform/db/tenant';
import { closeProducers } from '../../platform/queue/producers';
import { isAppError, type AppError } from '../../platform/errors';
import type { OrgContext } from '../../platform/auth/context';
import type { Role } from '../../platform/db/client';
import { createClusterWithToken, createMember, createOrg } from '../../testing/factories';
import { assignFindings } from '../findings/assign-findings';
import { createTicket } from './create-ticket';
import { updateTicket } from './update-ticket';
import { getTicket } from './get-ticket';

// Only people who can act on findings and tickets (owners, admins, members) can be given one; viewers and
// auditors only read. A ticket may be closed while its linked findings are still open, and its timeline says so.

afterAll(async () => { await closeProducers(); await disconnectDb(); });

type Person = { user: { id: string; email: string }; ctx: OrgContext };
let org: { id: string; slug: string };
let member: Person;
let people: Record<Role, Person>;
let findingIds: string[];

beforeEach(async () => {
  org = await createOrg();
  member = await createMember(org, 'MEMBER');
  people = {
    OWNER: await createMember(org, 'OWNER'), ADMIN: await createMember(org, 'ADMIN'), MEMBER: member,
    AUDITOR: await createMember(org, 'AUDITOR'), VIEWER: await createMember(org, 'VIEWER'),
  };
  const { cluster } = await createClusterWithToken(org, 'prod');
  const at = new Date('2026-03-01T00:00:00Z');
  const rows = await systemDb().finding.createManyAndReturn({
    select: { id: true },
    data: ['api', 'web', 'db'].map((name, i) => ({
      organizationId: org.id, clusterId: cluster.id, controlId: 'workload.privileged-container', fingerprint: `fp-${name}`, severity: 'HIGH' as const,
      status: i === 2 ? 'RESOLVED' as const : 'OPEN' as const, resourceApiVersion: 'apps/v1', resourceKind: 'Deployment', resourceNamespace: 'shop',
      resourceName: name, message: 'privileged', evidence: {}, firstSeenAt: at, lastSeenAt: at,
    })),
  });
  findingIds = rows.map((row) => row.id);
});

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  if (!isAppError(error)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

describe('who can be assigned', () => {
  it.each(['VIEWER', 'AUDITOR'] as const)('refuses a %s as the assignee of findings and of tickets, with a 400 naming the field', async (role) => {
    const readOnly = people[role];
    const onFinding = await failure(assignFindings(member.ctx, { findingIds: [findingIds[0]!], assigneeUserId: readOnly.user.id }));
    expect(onFinding.status).toBe(400);
    expect(onFinding.message).toContain(`${readOnly.user.email} is ${role === 'VIEWER' ? 'a viewer' : 'an auditor'}`);
    expect(onFinding.issues).toEqual([{ path: 'assigneeUserId', message: expect.stringContaining('cannot be assigned') }]);
    expect((await systemDb().finding.findUniqueOrThrow({ where: { id: findingIds[0] } })).assigneeUserId).toBeNull();

    const onNewTicket = await failure(createTicket(member.ctx, { title: 'Privileged', severity: 'SEV3', assigneeUserId: readOnly.user.id }));
    expect(onNewTicket.status).toBe(400);
    expect(onNewTicket.issues[0]?.path).toBe('assigneeUserId');
    expect(await systemDb().ticket.count({ where: { organizationId: org.id } })).toBe(0);

    const ticket = await createTicket(member.ctx, { title: 'Privileged', severity: 'SEV3' });
    const onTicket = await failure(updateTicket(member.ctx, { ticketId: ticket.id, assigneeUserId: readOnly.user.id }));
    expect(onTicket.status).toBe(400);
    expect(onTicket.issues[0]?.path).toBe('assigneeUserId');
  });

  it('assigns owners, admins and members', async () => {
    for (const role of ['OWNER', 'ADMIN', 'MEMBER'] as const) {
      await assignFindings(member.ctx, { findingIds: [findingIds[0]!], assigneeUserId: people[role].user.id });
      expect((await systemDb().finding.findUniqueOrThrow({ where: { id: findingIds[0] } })).assigneeUserId).toBe(people[role].user.id);
      const ticket = await createTicket(member.ctx, { title: `For ${role}`, severity: 'SEV4', assigneeUserId: people[role].user.id });
      expect(ticket.assigneeUserId).toBe(people[role].user.id);
    }
  });

  it('still refuses someone who is not a member at all', async () => {
    const outsider = await createMember(await createOrg(), 'OWNER');
    const error = await failure(assignFindings(member.ctx, { findingIds: [findingIds[0]!], assigneeUserId: outsider.user.id }));
    expect(error.issues).toEqual([{ path: 'assigneeUserId', message: 'not a member of this organization' }]);
  });
});

describe('closing a ticket with findings still open', () => {
  const closing = { rootCause: 'A chart default', resolution: 'Chart fixed upstream' };

  it('closes it, and the timeline says how many linked findings were still open', async () => {
    const ticket = await createTicket(member.ctx, { title: 'Privileged', severity: 'SEV2', findingIds });
    await systemDb().finding.update({ where: { id: findingIds[1] }, data: { status: 'ACKNOWLEDGED' } });
    await updateTicket(member.ctx, { ticketId: ticket.id, status: 'CLOSED', ...closing });
    const { ticket: closed, timeline } = await getTicket(member.ctx, String(ticket.number));
    expect(closed.status).toBe('CLOSED');
    const last = timeline.at(-1)!;
    expect(last.data).toMatchObject({ openFindings: 2 });
    expect(last.line.text).toBe(`${member.user.email} moved it from Open to Closed with 2 linked findings still open, updated the root cause and updated the resolution`);
    const audit = await systemDb().auditLog.findFirstOrThrow({ where: { organizationId: org.id, action: 'ticket.updated', targetId: ticket.id } });
    expect(audit.after).toMatchObject({ status: 'CLOSED', openFindings: 2 });
  });

  it('says nothing more when every linked finding is resolved or accepted', async () => {
    const ticket = await createTicket(member.ctx, { title: 'Privileged', severity: 'SEV2', findingIds });
    await systemDb().finding.updateMany({ where: { id: { in: findingIds.slice(0, 2) } }, data: { status: 'RISK_ACCEPTED' } });
    await updateTicket(member.ctx, { ticketId: ticket.id, status: 'CLOSED', ...closing });
    const { timeline } = await getTicket(member.ctx, String(ticket.number));
    expect(timeline.at(-1)!.line.text).toBe(`${member.user.email} moved it from Open to Closed, updated the root cause and updated the resolution`);
  });
});
