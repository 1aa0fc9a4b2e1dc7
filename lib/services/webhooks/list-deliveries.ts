import { AppError } from '../../platform/errors';
import { authorize } from '../../platform/auth/permissions';
import type { OrgContext } from '../../platform/auth/context';
import { dbFor } from '../../platform/db/tenant';
import { ListDeliveriesQuerySchema, type ListDeliveriesQueryInput } from './schemas';
import { isUuid, parseInput } from '@/lib/platform/input';

/** A webhook's delivery log, newest first: event, outcome, response code and excerpt, attempts, duration, last error and attempt. */
export async function listDeliveries(ctx: OrgContext, webhookId: string, query: ListDeliveriesQueryInput = {}) {
  authorize(ctx, 'webhook.manage');
  if (!isUuid(webhookId)) throw new AppError('not_found', 'Webhook not found');
  const { limit, cursor } = parseInput(ListDeliveriesQuerySchema, query);
  const db = dbFor(ctx);
  const webhook = await db.webhook.findUnique({ where: { id: webhookId }, select: { id: true } });
  if (!webhook) throw new AppError('not_found', 'Webhook not found');
  const after = cursor ? await db.webhookDelivery.findFirst({ where: { id: cursor, webhookId }, select: { id: true, createdAt: true } }) : null;
  const rows = await db.webhookDelivery.findMany({
    where: { webhookId, ...(after ? { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] } : {}) },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: limit + 1,
    select: { id: true, eventType: true, status: true, attempts: true, responseStatus: true, responseExcerpt: true, error: true, durationMs: true, createdAt: true, lastAttemptAt: true, deliveredAt: true },
  });
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
}
