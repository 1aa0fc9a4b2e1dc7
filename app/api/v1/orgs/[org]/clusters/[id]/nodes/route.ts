import { orgRoute } from '@/lib/web/org-route';
import { json } from '@/lib/web/respond';
import { listClusterNodes } from '@/lib/services/clusters/node-reports';

export const dynamic = 'force-dynamic';

/** The cluster's nodes as their node collector last reported them (issue 21): role, components, when, stale or not. */
export const GET = orgRoute<{ org: string; id: string }>({}, async ({ ctx, params }) => json(await listClusterNodes(ctx, params.id)));
