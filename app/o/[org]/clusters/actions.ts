'use server';
import { z } from 'zod';
import { orgAction } from '@/lib/web/action';
import { createCluster, CreateClusterSchema, revokeAgentToken, rotateAgentToken } from '@/lib/clusters/create-cluster';

export const createClusterAction = orgAction(CreateClusterSchema, async (ctx, input) => {
  const created = await createCluster(ctx, input);
  return { clusterId: created.cluster.id, name: created.cluster.name, token: created.token };
});

export const rotateAgentTokenAction = orgAction(z.object({ clusterId: z.uuid() }), (ctx, input) => rotateAgentToken(ctx, input.clusterId, true));

export const revokeAgentTokenAction = orgAction(z.object({ tokenId: z.uuid() }), async (ctx, input) => {
  await revokeAgentToken(ctx, input.tokenId);
  return { revoked: input.tokenId };
});
