import { AppError } from '../../platform/errors';
import { authorize } from '../../platform/auth/permissions';
import { actorUserId, type OrgContext } from '../../platform/auth/context';
import { dbFor } from '../../platform/db/tenant';
import type { Prisma } from '../../platform/db/client';
import { writeAudit } from '../audit/write-audit';
import { emitDomainEvents } from '../events/emit';
import { notifyUsers } from '../notifications/notify';
import { AddTicketUpdateSchema, UpdateTicketSchema, type AddTicketUpdateInput, type UpdateTicketInput } from './schemas';
import { canTransition, missingForClose } from './transitions';
import { checkAssignable } from '../findings/assignable';
import { parseInput } from '@/lib/platform/input';
import { ticketPath } from '@/lib/platform/app-links';
import { mailTicketAssignment } from '../mail/event-mails';
import { queueMailDeliveries } from '../mail/send-mail';

const FIELDS = ['status', 'title', 'description', 'severity', 'assigneeUserId', 'dueAt', 'rootCause', 'resolution', 'followUps'] as const;
type Field = (typeof FIELDS)[number];

function same(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return a === b;
}

/**
 * Changes a ticket's fields and moves its status forward. Each update is one timeline entry (with every
 * field's before and after), one audit entry and one `ticket.updated` event. CLOSED needs a root cause and a resolution,
 * and a closed ticket no longer changes (notes can still be added).
 */
export async function updateTicket(ctx: OrgContext, input: UpdateTicketInput) {
  authorize(ctx, 'ticket.manage');
  const { ticketId, ...requested } = parseInput(UpdateTicketSchema, input);
  const actor = actorUserId(ctx);
  let mailIds: string[] = [];
  const result = await dbFor(ctx).$transaction(async (tx) => {
    // Touch first: the row lock serialises two updates of the same ticket.
    const locked = await tx.ticket.updateMany({ where: { id: ticketId }, data: { updatedAt: new Date() } });
    if (locked.count === 0) throw new AppError('not_found', 'Ticket not found');
    const ticket = await tx.ticket.findUniqueOrThrow({ where: { id: ticketId } });
    if (ticket.status === 'CLOSED') throw new AppError('conflict', `Ticket #${ticket.number} is closed; add a note instead`);

    const changed = FIELDS.filter((field) => requested[field] !== undefined && !same(requested[field], ticket[field]));
    if (changed.length === 0) return ticket;
    const next = { ...ticket, ...Object.fromEntries(changed.map((field) => [field, requested[field]])) } as typeof ticket;
    if (changed.includes('status') && !canTransition(ticket.status, next.status)) {
      throw new AppError('conflict', `A ticket moves forward only: ${ticket.status} cannot become ${next.status}`);
    }
    if (next.status === 'CLOSED') {
      const missing = missingForClose(next);
      if (missing.length > 0) {
        throw new AppError('invalid', 'A ticket is closed with its root cause and resolution', missing.map((path) => ({ path, message: 'required to close the ticket' })));
      }
    }
    if (changed.includes('assigneeUserId')) await checkAssignable(tx, next.assigneeUserId, 'assigneeUserId');

    const data: Prisma.TicketUpdateInput = Object.fromEntries(changed.map((field) => [field, next[field]]));
    const closing = changed.includes('status') && next.status === 'CLOSED';
    if (closing) data.closedAt = new Date();
    // Closing with linked findings still open or acknowledged is allowed (the page asks first), and said on the timeline.
    const openFindings = closing ? await tx.ticketFinding.count({ where: { ticketId, finding: { status: { in: ['OPEN', 'ACKNOWLEDGED'] } } } }) : 0;
    const updated = await tx.ticket.update({ where: { id: ticketId }, data });
    const before = Object.fromEntries(changed.map((field) => [field, ticket[field]])) as Partial<Record<Field, unknown>>;
    const after = Object.fromEntries(changed.map((field) => [field, next[field]])) as Partial<Record<Field, unknown>>;
    // One timeline entry per update, listing its changes in field order (rows written in one statement share
    // a timestamp, so separate entries would come back in no particular order).
    await tx.ticketEvent.create({
      data: {
        organizationId: ctx.organizationId, ticketId, actorUserId: actor,
        type: changed.includes('status') ? 'status_changed' : 'updated',
        data: JSON.parse(JSON.stringify({
          changes: changed.map((field) => ({ field, from: before[field] ?? null, to: after[field] ?? null })),
          ...(closing ? { openFindings } : {}),
        })) as object,
      },
    });
    await writeAudit(tx, ctx, { action: 'ticket.updated', targetType: 'Ticket', targetId: ticketId, before, after: closing ? { ...after, openFindings } : after });
    await emitDomainEvents(tx, ctx.organizationId, [{ type: 'ticket.updated', data: { ticketId, number: ticket.number, changes: changed, status: updated.status } }]);
    if (changed.includes('assigneeUserId') && updated.assigneeUserId && updated.assigneeUserId !== actor) {
      await notifyUsers(tx, ctx.organizationId, [updated.assigneeUserId], {
        type: 'ticket.assigned', title: `Ticket #${updated.number} is assigned to you: ${updated.title}`, link: ticketPath(ctx.organizationSlug, updated.number),
      });
      mailIds = await mailTicketAssignment(tx, ctx, { assigneeUserId: updated.assigneeUserId, number: updated.number, title: updated.title });
    }
    return updated;
  });
  await queueMailDeliveries(ctx.organizationId, mailIds);
  return result;
}

/** A note on the ticket's timeline ("rolled back the deployment"), allowed on closed tickets too. */
export async function addTicketUpdate(ctx: OrgContext, input: AddTicketUpdateInput) {
  authorize(ctx, 'ticket.manage');
  const { ticketId, body } = parseInput(AddTicketUpdateSchema, input);
  const actor = actorUserId(ctx);
  return dbFor(ctx).$transaction(async (tx) => {
    const ticket = await tx.ticket.findUnique({ where: { id: ticketId }, select: { id: true, number: true } });
    if (!ticket) throw new AppError('not_found', 'Ticket not found');
    const event = await tx.ticketEvent.create({ data: { organizationId: ctx.organizationId, ticketId, type: 'note', actorUserId: actor, data: { body } } });
    await writeAudit(tx, ctx, { action: 'ticket.note_added', targetType: 'Ticket', targetId: ticketId, after: { ticketEventId: event.id, length: body.length } });
    await emitDomainEvents(tx, ctx.organizationId, [{ type: 'ticket.updated', data: { ticketId, number: ticket.number, changes: ['note'] } }]);
    return event;
  });
}
