import { z } from 'zod';
import { authorize } from '../../platform/auth/permissions';
import type { OrgContext } from '../../platform/auth/context';
import { dbFor } from '../../platform/db/tenant';
import type { Prisma } from '../../platform/db/client';
import { parseInput } from '@/lib/platform/input';

export const AuditQuerySchema = z.object({
  /** "finding." lists every finding action; "risk_acceptance.approved" one action. */
  action: z.string().trim().min(1).max(100).optional(),
  /** A user id, or the actor's label (an email, "system:…", "api-token:…"). */
  actor: z.string().trim().min(1).max(320).optional(),
  targetType: z.string().trim().min(1).max(100).optional(),
  targetId: z.string().trim().min(1).max(100).optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
});
export type AuditQueryInput = z.input<typeof AuditQuerySchema>;
export type AuditQuery = z.output<typeof AuditQuerySchema>;

export const ListAuditQuerySchema = AuditQuerySchema.extend({
  /** The seq of the last entry of the previous page (entries are listed newest first). */
  cursor: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type ListAuditQueryInput = z.input<typeof ListAuditQuerySchema>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The filters as a where clause (the organization is added by dbFor). */
export function auditWhere(query: AuditQuery): Prisma.AuditLogWhereInput {
  return {
    ...(query.action ? { action: { startsWith: query.action } } : {}),
    ...(query.actor ? (UUID.test(query.actor) ? { actorId: query.actor } : { actorLabel: query.actor }) : {}),
    ...(query.targetType ? { targetType: query.targetType } : {}),
    ...(query.targetId ? { targetId: query.targetId } : {}),
    ...(query.from || query.to ? { createdAt: { ...(query.from ? { gte: query.from } : {}), ...(query.to ? { lt: query.to } : {}) } } : {}),
  };
}

/** The organization's audit log, newest first, one keyset page (by seq) at a time: `{ items, nextCursor }`. */
export async function listAuditLog(ctx: OrgContext, input: ListAuditQueryInput = {}) {
  authorize(ctx, 'audit.read');
  const { cursor, limit, ...filters } = parseInput(ListAuditQuerySchema, input);
  const rows = await dbFor(ctx).auditLog.findMany({
    where: { ...auditWhere(filters), ...(cursor ? { seq: { lt: cursor } } : {}) },
    orderBy: { seq: 'desc' },
    take: limit + 1,
  });
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? String(last.seq) : null };
}
