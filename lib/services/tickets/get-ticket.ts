import { AppError } from '../../platform/errors';
import { authorize } from '../../platform/auth/permissions';
import type { OrgContext } from '../../platform/auth/context';
import { dbFor } from '../../platform/db/tenant';
import { describeTicketEvent, ticketEventChanges } from './timeline';
import { isUuid } from '@/lib/platform/input';

/**
 * One ticket by id or by its number in the organization ("42"): the ticket, its linked findings with their
 * current status, and its timeline oldest first with actor names and each event's sentence ("Dana moved it from Open to Investigating").
 */
export async function getTicket(ctx: OrgContext, idOrNumber: string) {
  authorize(ctx, 'ticket.read');
  const db = dbFor(ctx);
  const where = /^\d{1,9}$/.test(idOrNumber) ? { number: Number(idOrNumber) } : isUuid(idOrNumber) ? { id: idOrNumber } : null;
  if (!where) throw new AppError('not_found', 'Ticket not found');
  const ticket = await db.ticket.findFirst({ where });
  if (!ticket) throw new AppError('not_found', 'Ticket not found');
  const [links, events] = await Promise.all([
    db.ticketFinding.findMany({
      where: { ticketId: ticket.id },
      orderBy: { createdAt: 'asc' },
      select: {
        createdAt: true,
        finding: {
          select: {
            id: true, controlId: true, severity: true, status: true, resolutionReason: true, resolvedAt: true,
            resourceKind: true, resourceNamespace: true, resourceName: true, message: true, dueAt: true, cluster: { select: { id: true, name: true } },
          },
        },
      },
    }),
    db.ticketEvent.findMany({ where: { ticketId: ticket.id }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], take: 1000 }),
  ]);
  // Assignees named in the timeline may have left since: their user row still names them.
  const assignedIds = events.flatMap((event) => ticketEventChanges(event.type, event.data))
    .filter((change) => change.field === 'assigneeUserId' && typeof change.to === 'string').map((change) => change.to as string);
  const userIds = [...new Set([ticket.assigneeUserId, ticket.createdById, ...events.map((event) => event.actorUserId), ...assignedIds].filter((id): id is string => id !== null))];
  const users = userIds.length ? await db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true, email: true } }) : [];
  const byId = new Map(users.map((user) => [user.id, user]));
  const user = (id: string | null) => (id ? (byId.get(id) ?? null) : null);
  return {
    ticket: { ...ticket, assignee: user(ticket.assigneeUserId), createdBy: user(ticket.createdById) },
    findings: links.map(({ createdAt, finding }) => ({ ...finding, clusterName: finding.cluster.name, linkedAt: createdAt })),
    timeline: events.map((event) => {
      const actor = user(event.actorUserId);
      return { id: event.id, at: event.createdAt, type: event.type, data: event.data, actor, line: describeTicketEvent({ type: event.type, data: event.data, actor }, byId) };
    }),
  };
}
