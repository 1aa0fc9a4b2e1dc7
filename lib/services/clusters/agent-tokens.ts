import { AppError } from '../../platform/errors';
import { dbFor, type TenantTx } from '../../platform/db/tenant';
import { authorize } from '../../platform/auth/permissions';
import { actorUserId, type OrgContext } from '../../platform/auth/context';
import { generateToken } from '../../platform/auth/tokens';
import { writeAudit } from '../audit/write-audit';

// A cluster's agent tokens: issued (with the cluster, or on rotation), rotated and revoked.

/** A new agent token for the cluster, inside the caller's transaction. The token is returned once and only its hash is kept. */
export async function issueAgentToken(tx: TenantTx, ctx: OrgContext, clusterId: string) {
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

/** Revokes one agent token (already revoked: returned as it is). */
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
