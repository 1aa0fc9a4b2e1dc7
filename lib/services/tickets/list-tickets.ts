import { authorize } from '../../platform/auth/permissions';
import type { OrgContext } from '../../platform/auth/context';
import { dbFor } from '../../platform/db/tenant';
import { ListTicketsQuerySchema, type ListTicketsQueryInput } from './schemas';
import { parseInput } from '@/lib/platform/input';

/** Tickets newest first (by number), filtered, one keyset page at a time: `{ items, nextCursor }`. */
export async function listTickets(ctx: OrgContext, input: ListTicketsQueryInput = {}) {
  authorize(ctx, 'ticket.read');
  const { status, severity, assigneeUserId, cursor, limit } = parseInput(ListTicketsQuerySchema, input);
  const db = dbFor(ctx);
  const rows = await db.ticket.findMany({
    where: {
      ...(status?.length ? { status: { in: status } } : {}),
      ...(severity?.length ? { severity: { in: severity } } : {}),
      ...(assigneeUserId ? { assigneeUserId } : {}),
      ...(cursor ? { number: { lt: cursor } } : {}),
    },
    orderBy: { number: 'desc' },
    take: limit + 1,
    select: {
      id: true, number: true, title: true, severity: true, status: true, assigneeUserId: true, dueAt: true,
      createdAt: true, updatedAt: true, closedAt: true, _count: { select: { findings: true } },
    },
  });
  const page = rows.slice(0, limit);
  const assigneeIds = [...new Set(page.map((row) => row.assigneeUserId).filter((id): id is string => id !== null))];
  const users = assigneeIds.length ? await db.user.findMany({ where: { id: { in: assigneeIds } }, select: { id: true, name: true, email: true } }) : [];
  const byId = new Map(users.map((user) => [user.id, user]));
  const items = page.map(({ _count, ...ticket }) => ({
    ...ticket,
    findingCount: _count.findings,
    assignee: ticket.assigneeUserId ? (byId.get(ticket.assigneeUserId) ?? null) : null,
  }));
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? String(last.number) : null };
}
