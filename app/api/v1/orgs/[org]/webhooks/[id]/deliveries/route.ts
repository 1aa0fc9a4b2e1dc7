import { orgRoute } from '@/lib/web/org-route';
import { json } from '@/lib/web/respond';
import { listDeliveries } from '@/lib/services/webhooks/list-deliveries';
import { ListDeliveriesQuerySchema, type ListDeliveriesQueryInput } from '@/lib/services/webhooks/schemas';

export const dynamic = 'force-dynamic';

/** The webhook's delivery log, newest first (keyset: pass nextCursor as cursor). */
export const GET = orgRoute<{ org: string; id: string }, ListDeliveriesQueryInput>({ query: ListDeliveriesQuerySchema }, async ({ ctx, params, query }) =>
  json(await listDeliveries(ctx, params.id, query)));
