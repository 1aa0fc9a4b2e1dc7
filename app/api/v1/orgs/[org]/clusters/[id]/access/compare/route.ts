import { orgRoute } from '@/lib/web/org-route';
import { json } from '@/lib/web/respond';
import { compareAccess } from '@/lib/services/access/explore';

export const dynamic = 'force-dynamic';

/** Rights gained and lost per subject between `from` and `to` (now when omitted), or against `otherCluster`. */
export const GET = orgRoute<{ org: string; id: string }>({}, async ({ ctx, params, request }) =>
  json(await compareAccess(ctx, params.id, Object.fromEntries(new URL(request.url).searchParams) as never)),
);
