import { AppError } from '../../platform/errors';
import { authorize } from '../../platform/auth/permissions';
import type { OrgContext } from '../../platform/auth/context';
import { dbFor } from '../../platform/db/tenant';
import { writeAudit } from '../audit/write-audit';
import { UpdateWebhookSchema, type UpdateWebhookInput } from './schemas';
import { urlForAudit } from './create-webhook';
import { newWebhookSecret } from './signature';
import { isUuid, parseInput } from '@/lib/platform/input';

/** The organization's webhooks (never their secrets), each with its latest delivery's outcome. */
export async function listWebhooks(ctx: OrgContext) {
  authorize(ctx, 'webhook.manage');
  const db = dbFor(ctx);
  const webhooks = await db.webhook.findMany({ orderBy: { createdAt: 'asc' } });
  const latest = await Promise.all(webhooks.map((webhook) => db.webhookDelivery.findFirst({
    where: { webhookId: webhook.id }, orderBy: { createdAt: 'desc' }, select: { status: true, responseStatus: true, createdAt: true },
  })));
  return webhooks.map((webhook, index) => ({ ...webhook, lastDelivery: latest[index] ?? null }));
}

/** One webhook (never its secret), with its latest delivery's outcome. */
export async function getWebhook(ctx: OrgContext, webhookId: string) {
  authorize(ctx, 'webhook.manage');
  if (!isUuid(webhookId)) throw new AppError('not_found', 'Webhook not found');
  const db = dbFor(ctx);
  const webhook = await db.webhook.findUnique({ where: { id: webhookId } });
  if (!webhook) throw new AppError('not_found', 'Webhook not found');
  const lastDelivery = await db.webhookDelivery.findFirst({
    where: { webhookId }, orderBy: { createdAt: 'desc' }, select: { status: true, responseStatus: true, createdAt: true },
  });
  return { ...webhook, lastDelivery };
}

/** Changes a webhook's URL (checked like a new one), events or format, or enables or disables it. */
export async function updateWebhook(ctx: OrgContext, input: UpdateWebhookInput) {
  authorize(ctx, 'webhook.manage');
  const { webhookId, ...changes } = parseInput(UpdateWebhookSchema, input);
  return dbFor(ctx).$transaction(async (tx) => {
    const webhook = await tx.webhook.findUnique({ where: { id: webhookId } });
    if (!webhook) throw new AppError('not_found', 'Webhook not found');
    const updated = await tx.webhook.update({ where: { id: webhookId }, data: changes });
    const shown = (w: typeof webhook) => ({ url: urlForAudit(w.url), enabled: w.enabled, events: w.events, format: w.format });
    await writeAudit(tx, ctx, { action: 'webhook.updated', targetType: 'Webhook', targetId: webhookId, before: shown(webhook), after: shown(updated) });
    return updated;
  });
}

/**
 * Replaces the signing secret and returns the new one, this once. Deliveries signed from now on use it; the
 * old one stops verifying at once (receivers update their copy before or right after).
 */
export async function rotateWebhookSecret(ctx: OrgContext, webhookId: string) {
  authorize(ctx, 'webhook.manage');
  if (!isUuid(webhookId)) throw new AppError('not_found', 'Webhook not found');
  const secret = newWebhookSecret();
  return dbFor(ctx).$transaction(async (tx) => {
    const webhook = await tx.webhook.findUnique({ where: { id: webhookId }, select: { id: true } });
    if (!webhook) throw new AppError('not_found', 'Webhook not found');
    const updated = await tx.webhook.update({ where: { id: webhookId }, data: { secret } });
    await writeAudit(tx, ctx, { action: 'webhook.secret_rotated', targetType: 'Webhook', targetId: webhookId });
    return { webhook: updated, secret };
  });
}

/** Deletes a webhook and its delivery log; jobs still queued for it find nothing and end. */
export async function deleteWebhook(ctx: OrgContext, webhookId: string): Promise<void> {
  authorize(ctx, 'webhook.manage');
  if (!isUuid(webhookId)) throw new AppError('not_found', 'Webhook not found');
  await dbFor(ctx).$transaction(async (tx) => {
    const webhook = await tx.webhook.findUnique({ where: { id: webhookId } });
    if (!webhook) throw new AppError('not_found', 'Webhook not found');
    await tx.webhook.delete({ where: { id: webhookId } });
    await writeAudit(tx, ctx, { action: 'webhook.deleted', targetType: 'Webhook', targetId: webhookId, before: { url: urlForAudit(webhook.url), events: webhook.events, format: webhook.format } });
  });
}
