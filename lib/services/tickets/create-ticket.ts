import { AppError } from '../../platform/errors';
import { authorize } from '../../platform/auth/permissions';
import { actorUserId, type OrgContext } from '../../platform/auth/context';
import { dbFor } from '../../platform/db/tenant';
import { writeAudit } from '../audit/write-audit';
import { emitDomainEvents } from '../events/emit';
import { CreateTicketSchema, LinkTicketFindingsSchema, type CreateTicketInput, type LinkTicketFindingsInput } from './schemas';
import { linkFindings, openTicket } from './open-ticket';
import { checkAssignable } from '../findings/assignable';
import { parseInput } from '@/lib/platform/input';
import { mailTicketAssignment } from '../mail/event-mails';
import { queueMailDeliveries } from '../mail/send-mail';

/** A ticket, standalone or from findings (each finding gets a 'ticket_linked' event). Numbered per organization. */
export async function createTicket(ctx: OrgContext, input: CreateTicketInput) {
  authorize(ctx, 'ticket.manage');
  const data = parseInput(CreateTicketSchema, input);
  let mailIds: string[] = [];
  const ticket = await dbFor(ctx).$transaction(async (tx) => {
    // A person picks the assignee: only someone who can act on the ticket (the automatic tickets name nobody).
    await checkAssignable(tx, data.assigneeUserId, 'assigneeUserId');
    const opened = await openTicket(tx, ctx, {
      title: data.title, description: data.description, severity: data.severity,
      assigneeUserId: data.assigneeUserId ?? null, dueAt: data.dueAt ?? null, findingIds: data.findingIds,
    });
    if (opened.assigneeUserId && opened.assigneeUserId !== actorUserId(ctx)) mailIds = await mailTicketAssignment(tx, ctx, { assigneeUserId: opened.assigneeUserId, number: opened.number, title: opened.title });
    return opened;
  });
  await queueMailDeliveries(ctx.organizationId, mailIds);
  return ticket;
}

/** Links more findings to an existing ticket (closed tickets are a record and take no new findings). */
export async function linkTicketFindings(ctx: OrgContext, input: LinkTicketFindingsInput): Promise<{ linked: number }> {
  authorize(ctx, 'ticket.manage');
  const { ticketId, findingIds } = parseInput(LinkTicketFindingsSchema, input);
  return dbFor(ctx).$transaction(async (tx) => {
    const ticket = await tx.ticket.findUnique({ where: { id: ticketId }, select: { id: true, number: true, status: true } });
    if (!ticket) throw new AppError('not_found', 'Ticket not found');
    if (ticket.status === 'CLOSED') throw new AppError('conflict', 'This ticket is closed');
    const added = await linkFindings(tx, ctx, ticket, findingIds);
    if (added.length === 0) return { linked: 0 };
    await tx.ticketEvent.create({ data: { organizationId: ctx.organizationId, ticketId, type: 'findings_linked', actorUserId: actorUserId(ctx), data: { findingIds: added } } });
    await writeAudit(tx, ctx, { action: 'ticket.findings_linked', targetType: 'Ticket', targetId: ticketId, after: { findingIds: added } });
    await emitDomainEvents(tx, ctx.organizationId, [{ type: 'ticket.updated', data: { ticketId, number: ticket.number, changes: ['findings'], findingIds: added } }]);
    return { linked: added.length };
  });
}
