'use server';
import { z } from 'zod';
import { orgAction } from '@/lib/web/action';
import { createCluster, CreateClusterSchema } from '@/lib/services/clusters/create-cluster';
import { revokeAgentToken, rotateAgentToken } from '@/lib/services/clusters/agent-tokens';
import { archiveCluster, ClusterIdSchema, deleteCluster, DeleteClusterSchema, restoreCluster, updateCluster, UpdateClusterSchema } from '@/lib/services/clusters/manage-cluster';
import { createInstallLink, CreateInstallLinkSchema } from '@/lib/services/clusters/install-links';

export const createClusterAction = orgAction(CreateClusterSchema, async (ctx, input) => {
  const created = await createCluster(ctx, input);
  return { clusterId: created.cluster.id, name: created.cluster.name, token: created.token };
});

export const rotateAgentTokenAction = orgAction(z.object({ clusterId: z.uuid() }), (ctx, input) => rotateAgentToken(ctx, input.clusterId, true));

export const revokeAgentTokenAction = orgAction(z.object({ tokenId: z.uuid() }), async (ctx, input) => {
  await revokeAgentToken(ctx, input.tokenId);
  return { revoked: input.tokenId };
});

export const updateClusterAction = orgAction(UpdateClusterSchema, async (ctx, input) => {
  const cluster = await updateCluster(ctx, input);
  return { name: cluster.name };
});

export const archiveClusterAction = orgAction(ClusterIdSchema, async (ctx, input) => {
  await archiveCluster(ctx, input);
  return { clusterId: input.clusterId, archived: true };
});

export const restoreClusterAction = orgAction(ClusterIdSchema, async (ctx, input) => {
  await restoreCluster(ctx, input);
  return { clusterId: input.clusterId, archived: false };
});

export const deleteClusterAction = orgAction(DeleteClusterSchema, (ctx, input) => deleteCluster(ctx, input));

/** The link itself is shown once; the page says it works once, for 15 minutes. */
export const createInstallLinkAction = orgAction(CreateInstallLinkSchema, async (ctx, input) => {
  const link = await createInstallLink(ctx, input);
  return { command: link.command, expiresAt: link.expiresAt.toISOString() };
});
