import { AppError } from '../../platform/errors';
import { authorize } from '../../platform/auth/permissions';
import type { OrgContext } from '../../platform/auth/context';
import { dbFor } from '../../platform/db/tenant';
import { enqueueWebhookDelivery } from '../../platform/queue/producers';
import { writeAudit } from '../audit/write-audit';
import { RetryDeliverySchema, type RetryDeliveryInput } from './schemas';
import { parseInput } from '@/lib/platform/input';

/**
 * "Retry now": a FAILED delivery goes back to PENDING and on the queue at once, with a fresh round of attempts
 * (the same body, a new signature). 409 for a delivery that is not failed (pending ones are still being tried).
 */
export async function retryDelivery(ctx: OrgContext, input: RetryDeliveryInput) {
  authorize(ctx, 'webhook.manage');
  const { webhookId, deliveryId } = parseInput(RetryDeliverySchema, input);
  const delivery = await dbFor(ctx).$transaction(async (tx) => {
    const found = await tx.webhookDelivery.findFirst({ where: { id: deliveryId, webhookId }, select: { id: true, status: true, attempts: true } });
    if (!found) throw new AppError('not_found', 'Delivery not found');
    if (found.status !== 'FAILED') throw new AppError('conflict', `Only a failed delivery can be retried; this one is ${found.status.toLowerCase()}`);
    const webhook = await tx.webhook.findUnique({ where: { id: webhookId }, select: { enabled: true } });
    if (!webhook?.enabled) throw new AppError('conflict', 'Enable the webhook before retrying its deliveries');
    const updated = await tx.webhookDelivery.update({
      where: { id: deliveryId }, data: { status: 'PENDING' },
      select: { id: true, eventType: true, status: true, attempts: true, createdAt: true },
    });
    await writeAudit(tx, ctx, { action: 'webhook.delivery_retried', targetType: 'Webhook', targetId: webhookId, after: { deliveryId, attemptsBefore: found.attempts } });
    return updated;
  });
  try {
    await enqueueWebhookDelivery({ organizationId: ctx.organizationId, deliveryId }, { retry: Date.now() });
  } catch {
    // Back to FAILED, so "Retry now" stays offered (the stranded-delivery sweep only picks up untried deliveries).
    await dbFor(ctx).webhookDelivery.update({ where: { id: deliveryId }, data: { status: 'FAILED' } });
    throw new AppError('unavailable', 'The queue is unavailable; the delivery was not retried. Try again in a moment');
  }
  return delivery;
}
