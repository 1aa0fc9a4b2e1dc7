import { orgRoute } from '@/lib/web/org-route';
import { AppError, json } from '@/lib/web/respond';
import { retryDelivery } from '@/lib/services/webhooks/retry-delivery';
import { isUuid } from '@/lib/platform/input';

export const dynamic = 'force-dynamic';

/** "Retry now" for a failed delivery: pending again and queued at once (202); 409 when it is not failed. */
export const POST = orgRoute<{ org: string; id: string; deliveryId: string }>({}, async ({ ctx, params }) => {
  if (!isUuid(params.id) || !isUuid(params.deliveryId)) throw new AppError('not_found', 'Delivery not found');
  return json({ delivery: await retryDelivery(ctx, { webhookId: params.id, deliveryId: params.deliveryId }) }, 202);
});
