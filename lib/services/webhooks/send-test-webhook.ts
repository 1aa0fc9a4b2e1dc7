import { randomUUID } from 'node:crypto';
import { AppError } from '../../platform/errors';
import { authorize } from '../../platform/auth/permissions';
import type { OrgContext } from '../../platform/auth/context';
import { dbFor } from '../../platform/db/tenant';
import { writeAudit } from '../audit/write-audit';
import { enqueueWebhookDelivery } from '../../platform/queue/producers';
import { WEBHOOK_TEST_EVENT } from './schemas';
import type { WebhookPayload } from './payload';
import { isUuid } from '@/lib/platform/input';

/** Queues a `webhook.test` delivery, so an admin can check the receiver and its signature check. */
export async function sendTestWebhook(ctx: OrgContext, webhookId: string) {
  authorize(ctx, 'webhook.manage');
  if (!isUuid(webhookId)) throw new AppError('not_found', 'Webhook not found');
  const delivery = await dbFor(ctx).$transaction(async (tx) => {
    const webhook = await tx.webhook.findUnique({ where: { id: webhookId }, select: { id: true } });
    if (!webhook) throw new AppError('not_found', 'Webhook not found');
    const org = await tx.organization.findUniqueOrThrow({ where: { id: ctx.organizationId }, select: { slug: true } });
    const payload: WebhookPayload = {
      id: randomUUID(), type: WEBHOOK_TEST_EVENT, occurredAt: new Date().toISOString(), organization: { slug: org.slug },
      data: { message: 'This is a test delivery from Bulwark.' },
    };
    const created = await tx.webhookDelivery.create({
      data: { organizationId: ctx.organizationId, webhookId, eventType: WEBHOOK_TEST_EVENT, payload: payload as object },
      select: { id: true, eventType: true, status: true, createdAt: true },
    });
    await writeAudit(tx, ctx, { action: 'webhook.test_sent', targetType: 'Webhook', targetId: webhookId, after: { deliveryId: created.id } });
    return created;
  });
  try {
    await enqueueWebhookDelivery({ organizationId: ctx.organizationId, deliveryId: delivery.id });
  } catch {
    throw new AppError('unavailable', 'The delivery was recorded but could not be queued yet; it will be sent when the queue is back');
  }
  return delivery;
}
