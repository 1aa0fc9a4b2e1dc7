import { orgRoute } from '@/lib/web/org-route';
import { json } from '@/lib/web/respond';
import { createWebhook } from '@/lib/services/webhooks/create-webhook';
import { listWebhooks } from '@/lib/services/webhooks/manage-webhooks';
import { CreateWebhookSchema, webhookResource, type CreateWebhookInput } from '@/lib/services/webhooks/schemas';

export const dynamic = 'force-dynamic';

/** The organization's webhooks with their latest delivery (never secrets). Owners and admins. */
export const GET = orgRoute<{ org: string }>({}, async ({ ctx }) =>
  json({ items: (await listWebhooks(ctx)).map((webhook) => ({ ...webhookResource(webhook), lastDelivery: webhook.lastDelivery })) }));

/** Creates a webhook; the answer carries its signing secret, this once. 400 naming `url` for an internal address. */
export const POST = orgRoute<{ org: string }, undefined, CreateWebhookInput>({ body: CreateWebhookSchema }, async ({ ctx, body }) => {
  const { webhook, secret } = await createWebhook(ctx, body);
  return json({ webhook: webhookResource(webhook), secret }, 201);
});
