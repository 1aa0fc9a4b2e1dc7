import { clusterIdParam } from '@/lib/services/clusters/manage-cluster';
import { orgRoute } from '@/lib/web/org-route';
import { json } from '@/lib/web/respond';
import { createInstallLink } from '@/lib/services/clusters/install-links';

export const dynamic = 'force-dynamic';

/** 201 with a single-use install link (15 minutes), shown this once. */
export const POST = orgRoute<{ org: string; id: string }>({}, async ({ ctx, params }) => {
  const clusterId = clusterIdParam(params.id);
  return json(await createInstallLink(ctx, { clusterId }), 201);
});
