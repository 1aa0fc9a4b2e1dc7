import { orgRoute } from '@/lib/web/org-route';
import { json } from '@/lib/web/respond';
import { sendTestWebhook } from '@/lib/services/webhooks/send-test-webhook';

export const dynamic = 'force-dynamic';

/** Queues a `webhook.test` delivery (202); its outcome appears in the delivery log. */
export const POST = orgRoute<{ org: string; id: string }>({}, async ({ ctx, params }) =>
  json({ delivery: await sendTestWebhook(ctx, params.id) }, 202));
