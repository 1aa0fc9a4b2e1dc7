import { orgRoute } from '@/lib/web/org-route';
import { json } from '@/lib/web/respond';
import { rotateWebhookSecret } from '@/lib/services/webhooks/manage-webhooks';
import { webhookResource } from '@/lib/services/webhooks/schemas';

export const dynamic = 'force-dynamic';

/** A new signing secret, returned this once; the old one stops verifying at once. */
export const POST = orgRoute<{ org: string; id: string }>({}, async ({ ctx, params }) => {
  const { webhook, secret } = await rotateWebhookSecret(ctx, params.id);
  return json({ webhook: webhookResource(webhook), secret });
});
