import { z } from 'zod';
import { AppError } from '../../platform/errors';
import { dbFor } from '../../platform/db/tenant';
import { Prisma } from '../../platform/db/client';
import { authorize } from '../../platform/auth/permissions';
import type { OrgContext } from '../../platform/auth/context';
import { writeAudit } from '../audit/write-audit';
import { issueAgentToken } from './agent-tokens';

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
