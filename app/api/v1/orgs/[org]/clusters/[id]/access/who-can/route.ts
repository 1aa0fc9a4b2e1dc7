import { orgRoute } from '@/lib/web/org-route';
import { json } from '@/lib/web/respond';
import { whoCanAt } from '@/lib/services/access/explore';

export const dynamic = 'force-dynamic';

/**
 * Who can `verb` `resource` (+ `subresource`, `name`) in `namespace` (any when omitted), at the latest evaluated
 * snapshot or the one in force `at` a date. The service validates the query (400 naming the field).
 */
export const GET = orgRoute<{ org: string; id: string }>({}, async ({ ctx, params, request }) =>
  json(await whoCanAt(ctx, params.id, Object.fromEntries(new URL(request.url).searchParams) as never)),
);
