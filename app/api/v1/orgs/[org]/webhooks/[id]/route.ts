import { z } from 'zod';
import { orgRoute } from '@/lib/web/org-route';
import { AppError, json } from '@/lib/web/respond';
import { deleteWebhook, getWebhook, updateWebhook } from '@/lib/services/webhooks/manage-webhooks';
import { PatchWebhookBodySchema, webhookResource } from '@/lib/services/webhooks/schemas';
import { parseInput } from '@/lib/platform/input';

export const dynamic = 'force-dynamic';

type Params = { org: string; id: string };

export const GET = orgRoute<Params>({}, async ({ ctx, params }) => {
  const webhook = await getWebhook(ctx, params.id);
  return json({ webhook: { ...webhookResource(webhook), lastDelivery: webhook.lastDelivery } });
});

/**
 * Changes url (checked like a new one), events, format or enabled. Owners and admins. The webhook is looked up
 * before the body is judged: someone else's id is a 404 whatever the body says.
 */
export const PATCH = orgRoute<Params, undefined, unknown>({ body: z.unknown() }, async ({ ctx, params, body }) => {
  await getWebhook(ctx, params.id);
  const changes = parseInput(PatchWebhookBodySchema, body);
  if (Object.values(changes).every((value) => value === undefined)) throw new AppError('invalid', 'Nothing to change: send url, events, format or enabled');
  return json({ webhook: webhookResource(await updateWebhook(ctx, { webhookId: params.id, ...changes })) });
});

/** Deletes the webhook and its delivery log. */
export const DELETE = orgRoute<Params>({}, async ({ ctx, params }) => {
  await deleteWebhook(ctx, params.id);
  return json({ deleted: true });
});
