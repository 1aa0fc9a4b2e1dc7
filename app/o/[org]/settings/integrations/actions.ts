'use server';
import { orgAction } from '@/lib/web/action';
import { CreateWebhookSchema, RetryDeliverySchema, UpdateWebhookSchema, WebhookIdSchema } from '@/lib/services/webhooks/schemas';
import { createWebhook } from '@/lib/services/webhooks/create-webhook';
import { deleteWebhook, rotateWebhookSecret, updateWebhook } from '@/lib/services/webhooks/manage-webhooks';
import { sendTestWebhook } from '@/lib/services/webhooks/send-test-webhook';
import { retryDelivery } from '@/lib/services/webhooks/retry-delivery';

// Settings → Integrations (issue 20). Each is called as `someAction(orgSlug, input)`; the services authorize
// ('webhook.manage': owners and admins), check the URL (no internal addresses) and audit.

/** Returns the webhook and its signing secret, shown this once. */
export const createWebhookAction = orgAction(CreateWebhookSchema, createWebhook);
export const updateWebhookAction = orgAction(UpdateWebhookSchema, async (ctx, input) => {
  const { id, url, events, format, enabled } = await updateWebhook(ctx, input);
  return { id, url, events, format, enabled };
});
export const deleteWebhookAction = orgAction(WebhookIdSchema, (ctx, { webhookId }) => deleteWebhook(ctx, webhookId));
/** Returns the new secret, shown this once. */
export const rotateWebhookSecretAction = orgAction(WebhookIdSchema, async (ctx, { webhookId }) => ({ secret: (await rotateWebhookSecret(ctx, webhookId)).secret }));
export const sendTestWebhookAction = orgAction(WebhookIdSchema, (ctx, { webhookId }) => sendTestWebhook(ctx, webhookId));
export const retryDeliveryAction = orgAction(RetryDeliverySchema, retryDelivery);
