import { z } from 'zod';
import { AppError } from '../../platform/errors';
import { dbFor } from '../../platform/db/tenant';
import { Prisma } from '../../platform/db/client';
import { authorize } from '../../platform/auth/permissions';
import { actorUserId, type OrgContext } from '../../platform/auth/context';
import { generateToken } from '../../platform/auth/tokens';
import { writeAudit } from '../audit/write-audit';

export const ClusterNameSchema = z.string().trim().regex(/^[a-z0-9](?:[a-z0-9.-]{0,61}[a-z0-9])?$/, 'lowercase letters, digits, dots and dashes, up to 63 characters');
export const CLUSTER_ENVIRONMENTS = ['PRODUCTION', 'STAGING', 'DEVELOPMENT'] as const;
export const CreateClusterSchema = z.object({ name: ClusterNameSchema, reportingIntervalSeconds: z.number().int().min(60).max(86_400).optional(), environment: z.enum(CLUSTER_ENVIRONMENTS).optional() });
export type CreateClusterInput = z.input<typeof CreateClusterSchema>;

/** Creates a cluster and its first agent token. The token is returned once and only its hash is kept. */
export async function createCluster(ctx: OrgContext, input: CreateClusterInput) {
  authorize(ctx, 'cluster.manage');
  const data = CreateClusterSchema.parse(input);
  try {
    return await dbFor(ctx).$transaction(async (tx) => {
      const cluster = await tx.cluster.create({
        data: { organizationId: ctx.organizationId, name: data.name, reportingIntervalSeconds: data.reportingIntervalSeconds ?? 300, environment: data.environment ?? null },
      });
      const token = await issueAgentToken(tx, ctx, cluster.id);
      await writeAudit(tx, ctx, { action: 'cluster.created', targetType: 'Cluster', targetId: cluster.id, after: { name: cluster.name, tokenPrefix: token.prefix } });
      return { cluster, token: token.token, tokenPrefix: token.prefix };
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      throw new AppError('conflict', `A cluster named "${data.name}" already exists`, [{ path: 'name', message: 'already taken' }]);
    }
    throw error;
  }
}

type Tx = Parameters<Parameters<ReturnType<typeof dbFor>['$transaction']>[0]>[0];

async function issueAgentToken(tx: Tx, ctx: OrgContext, clusterId: string) {
  const token = generateToken('agent');
  await tx.agentToken.create({
    data: { organizationId: ctx.organizationId, clusterId, tokenHash: token.hash, prefix: token.prefix, createdById: actorUserId(ctx) },
  });
  return token;
}

/** A new token for the cluster; with `revokeOthers`, every older token stops working at once. */
export async function rotateAgentToken(ctx: OrgContext, clusterId: string, revokeOthers = true) {
  authorize(ctx, 'token.manage');
  return dbFor(ctx).$transaction(async (tx) => {
    const cluster = await tx.cluster.findUnique({ where: { id: clusterId } });
    if (!cluster) throw new AppError('not_found', 'Cluster not found');
    if (revokeOthers) await tx.agentToken.updateMany({ where: { clusterId, revokedAt: null }, data: { revokedAt: new Date() } });
    const token = await issueAgentToken(tx, ctx, clusterId);
    await writeAudit(tx, ctx, { action: 'agent_token.rotated', targetType: 'Cluster', targetId: clusterId, after: { tokenPrefix: token.prefix, revokedOthers: revokeOthers } });
    return { token: token.token, tokenPrefix: token.prefix };
  });
}

export async function revokeAgentToken(ctx: OrgContext, tokenId: string) {
  authorize(ctx, 'token.manage');
  return dbFor(ctx).$transaction(async (tx) => {
    const token = await tx.agentToken.findUnique({ where: { id: tokenId } });
    if (!token) throw new AppError('not_found', 'Agent token not found');
    if (token.revokedAt) return token;
    const revoked = await tx.agentToken.update({ where: { id: tokenId }, data: { revokedAt: new Date() } });
    await writeAudit(tx, ctx, { action: 'agent_token.revoked', targetType: 'AgentToken', targetId: tokenId, after: { prefix: token.prefix } });
    return revoked;
  });
}
