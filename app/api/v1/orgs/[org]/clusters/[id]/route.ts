import { z } from 'zod';
import { orgRoute } from '@/lib/web/org-route';
import { AppError, json } from '@/lib/web/respond';
import { getCluster } from '@/lib/services/clusters/read-clusters';
import { archiveCluster, clusterIdParam, deleteCluster, DeleteClusterQuerySchema, PatchClusterBodySchema, restoreCluster, updateCluster } from '@/lib/services/clusters/manage-cluster';

export const dynamic = 'force-dynamic';

export const GET = orgRoute<{ org: string; id: string }>({}, async ({ ctx, params }) => json(await getCluster(ctx, params.id)));

/** Rename, environment, labels, archive (`"archived": true`) or restore (`false`). Owners and admins. */
export const PATCH = orgRoute<{ org: string; id: string }, undefined, z.infer<typeof PatchClusterBodySchema>>({ body: PatchClusterBodySchema }, async ({ ctx, params, body }) => {
  const { archived, ...fields } = body;
  const clusterId = clusterIdParam(params.id);
  if (Object.keys(fields).length === 0 && archived === undefined) throw new AppError('invalid', 'Nothing to change: send name, environment, labels or archived');
  let cluster = Object.keys(fields).length > 0 ? await updateCluster(ctx, { clusterId, ...fields }) : null;
  if (archived === true) cluster = await archiveCluster(ctx, { clusterId });
  if (archived === false) cluster = await restoreCluster(ctx, { clusterId });
  return json({ cluster });
});

/** Deletes the cluster and its data. `?confirm=<cluster name>` is required, as typing the name is on the page. */
export const DELETE = orgRoute<{ org: string; id: string }, { confirm?: string }>({ query: DeleteClusterQuerySchema }, async ({ ctx, params, query }) => {
  const clusterId = clusterIdParam(params.id);
  return json(await deleteCluster(ctx, { clusterId, confirmName: query.confirm ?? '' }));
});
