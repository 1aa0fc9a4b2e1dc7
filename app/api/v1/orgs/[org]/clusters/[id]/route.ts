import { orgRoute } from '@/lib/web/org-route';
import { json } from '@/lib/web/respond';
import { getCluster } from '@/lib/clusters/read-clusters';

export const dynamic = 'force-dynamic';

export const GET = orgRoute<{ org: string; id: string }>({}, async ({ ctx, params }) => json(await getCluster(ctx, params.id)));
