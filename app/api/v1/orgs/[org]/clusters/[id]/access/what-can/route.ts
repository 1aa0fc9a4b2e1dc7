import { orgRoute } from '@/lib/web/org-route';
import { json } from '@/lib/web/respond';
import { whatCanAt } from '@/lib/services/access/explore';

export const dynamic = 'force-dynamic';

/** Everything a subject (`kind`, `name`, `namespace` for a ServiceAccount) can do, by namespace, at a point in time (`at`). */
export const GET = orgRoute<{ org: string; id: string }>({}, async ({ ctx, params, request }) =>
  json(await whatCanAt(ctx, params.id, Object.fromEntries(new URL(request.url).searchParams) as never)),
);
