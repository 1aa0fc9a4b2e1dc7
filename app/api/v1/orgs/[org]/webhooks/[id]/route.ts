import { orgRoute } from '@/lib/web/org-route';
import { AppError, json } from '@/lib/web/respond';
import { deleteWebhook, getWebhook, updateWebhook } from '@/lib/services/webhooks/manage-webhooks';
import { PatchWebhookBodySchema, webhookResource, type PatchWebhookBody } from '@/lib/services/webhooks/schemas';
import { isUuid } from '@/lib/platform/input';

export const dynamic = 'force-dynamic';

type Params = { org: string; id: string };

export const GET = orgRoute<Params>({}, async ({ ctx, params }) => {
  const webhook = await getWebhook(ctx, params.id);
  return json({ webhook: { ...webhookResource(webhook), lastDelivery: webhook.lastDelivery } });
});

/** Changes url (checked like a new one), events, format or enabled. Owners and admins. */
export const PATCH = orgRoute<Params, undefined, PatchWebhookBody>({ body: PatchWebhookBodySchema }, async ({ ctx, params, body }) => {
  if (!isUuid(params.id)) throw new AppError('not_found', 'Webhook not found');
  if (Object.values(body).every((value) => value === undefined)) throw new AppError('invalid', 'Nothing to change: send url, events, format or enabled');
  return json({ webhook: webhookResource(await updateWebhook(ctx, { webhookId: params.id, ...body })) });
});

/** Deletes the webhook and its delivery log. */
export const DELETE = orgRoute<Params>({}, async ({ ctx, params }) => {
  await deleteWebhook(ctx, params.id);
  return json({ deleted: true });
});
