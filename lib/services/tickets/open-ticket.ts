import { AppError } from '../../platform/errors';
import { actorUserId, type OrgContext } from '../../platform/auth/context';
import type { TenantTx } from '../../platform/db/tenant';
import { advisoryXactLock } from '../../platform/db/locks';
import type { TicketSeverity } from '../../platform/db/client';
import { writeAudit } from '../audit/write-audit';
import { emitDomainEvents } from '../events/emit';
import { notifyUsers } from '../notifications/notify';
import { lockFindings } from '../findings/workflow';
import { ticketPath } from '@/lib/platform/app-links';

export type OpenTicketData = {
  title: string;
  description: string;
  severity: TicketSeverity;
  assigneeUserId: string | null;
  dueAt: Date | null;
  findingIds: readonly string[];
};


export async function checkTicketAssignee(tx: TenantTx, userId: string | null | undefined): Promise<void> {
  if (!userId) return;
  const membership = await tx.membership.findFirst({ where: { userId }, select: { id: true } });
  if (!membership) throw new AppError('invalid', 'The assignee is not a member of this organization', [{ path: 'assigneeUserId', message: 'not a member of this organization' }]);
}

/** Links findings to a ticket, with a 'ticket_linked' event on each finding. Findings already linked are skipped. */
export async function linkFindings(tx: TenantTx, ctx: OrgContext, ticket: { id: string; number: number }, findingIds: readonly string[]): Promise<string[]> {
  if (findingIds.length === 0) return [];
  await lockFindings(tx, findingIds);
  const existing = await tx.ticketFinding.findMany({ where: { ticketId: ticket.id, findingId: { in: [...findingIds] } }, select: { findingId: true } });
  const already = new Set(existing.map((row) => row.findingId));
  const added = findingIds.filter((id) => !already.has(id));
  if (added.length === 0) return [];
  const actor = actorUserId(ctx);
  await tx.ticketFinding.createMany({ data: added.map((findingId) => ({ organizationId: ctx.organizationId, ticketId: ticket.id, findingId })) });
  await tx.findingEvent.createMany({
    data: added.map((findingId) => ({ organizationId: ctx.organizationId, findingId, type: 'ticket_linked', actorUserId: actor, data: { ticketId: ticket.id, number: ticket.number } })),
  });
  return added;
}

/**
 * Creates a ticket with the next number of the organization and links its findings, inside the caller's
 * transaction (a person creating one, or the dispatcher opening one for a new critical finding).
 */
export async function openTicket(tx: TenantTx, ctx: OrgContext, data: OpenTicketData) {
  await checkTicketAssignee(tx, data.assigneeUserId);
  // Numbers are per organization and gap-free in practice: the lock makes max+1 safe against a concurrent create.
  await advisoryXactLock(tx, 'ticketNumber', ctx.organizationId);
  const last = await tx.ticket.findFirst({ orderBy: { number: 'desc' }, select: { number: true } });
  const actor = actorUserId(ctx);
  const ticket = await tx.ticket.create({
    data: {
      organizationId: ctx.organizationId, number: (last?.number ?? 0) + 1, title: data.title, description: data.description,
      severity: data.severity, assigneeUserId: data.assigneeUserId, dueAt: data.dueAt, createdById: actor,
    },
  });
  const linked = await linkFindings(tx, ctx, ticket, data.findingIds);
  await tx.ticketEvent.create({
    data: { organizationId: ctx.organizationId, ticketId: ticket.id, type: 'created', actorUserId: actor, data: { severity: ticket.severity, findingIds: linked } },
  });
  await writeAudit(tx, ctx, {
    action: 'ticket.created', targetType: 'Ticket', targetId: ticket.id,
    after: { number: ticket.number, title: ticket.title, severity: ticket.severity, status: ticket.status, assigneeUserId: ticket.assigneeUserId, dueAt: ticket.dueAt, findingIds: linked },
  });
  await emitDomainEvents(tx, ctx.organizationId, [{ type: 'ticket.created', data: { ticketId: ticket.id, number: ticket.number, severity: ticket.severity, findingIds: linked } }]);
  if (ticket.assigneeUserId && ticket.assigneeUserId !== actor) {
    await notifyUsers(tx, ctx.organizationId, [ticket.assigneeUserId], {
      type: 'ticket.assigned', title: `Ticket #${ticket.number} is assigned to you: ${ticket.title}`, link: ticketPath(ctx.organizationSlug, ticket.number),
    });
  }
  return ticket;
}
