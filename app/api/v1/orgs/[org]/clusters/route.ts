import { orgRoute } from '@/lib/web/org-route';
import { json } from '@/lib/web/respond';
import { listClusters } from '@/lib/services/clusters/read-clusters';
import { createCluster, CreateClusterSchema } from '@/lib/services/clusters/create-cluster';

export const dynamic = 'force-dynamic';

export const GET = orgRoute({}, async ({ ctx }) => json({ items: await listClusters(ctx) }));

/** 201 with the agent token, shown this once. */
export const POST = orgRoute({ body: CreateClusterSchema }, async ({ ctx, body }) => {
  const created = await createCluster(ctx, body);
  return json({ cluster: created.cluster, token: created.token }, 201);
});
