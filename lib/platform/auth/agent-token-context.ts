import { AppError } from '../errors';
import { bearerToken, hashToken, hashesEqual, tokenKind } from './tokens';
import { systemDb } from '../db/tenant';
import type { OrgContext } from './context';

/**
 * An agent token names one cluster of one organization. Unknown, revoked or malformed tokens are all the
 * same 401, so a caller learns nothing about which tokens exist.
 */
export async function resolveAgentToken(authorization: string | null): Promise<OrgContext & { actor: { kind: 'agent' } }> {
  const token = bearerToken(authorization);
  if (!token) throw new AppError('unauthenticated', 'Missing agent token: send "Authorization: Bearer <token>"', [], { 'WWW-Authenticate': 'Bearer' });
  if (tokenKind(token) !== 'agent') throw new AppError('unauthenticated', 'Invalid or revoked agent token', [], { 'WWW-Authenticate': 'Bearer' });
  const hash = hashToken(token);
  // Cross-tenant by nature: the token is what tells us the tenant.
  const row = await systemDb().agentToken.findUnique({
    where: { tokenHash: hash },
    select: { id: true, organizationId: true, clusterId: true, revokedAt: true, tokenHash: true, lastUsedAt: true, cluster: { select: { name: true, archivedAt: true } } },
  });
  if (!row || row.revokedAt || !hashesEqual(row.tokenHash, hash)) {
    throw new AppError('unauthenticated', 'Invalid or revoked agent token', [], { 'WWW-Authenticate': 'Bearer' });
  }
  // A valid token of an archived cluster: say so (the operator of that agent can act on it), and store nothing.
  if (row.cluster.archivedAt) {
    throw new AppError('conflict', `Cluster "${row.cluster.name}" is archived in Bulwark and accepts no snapshots; an owner or admin can restore it on the cluster's page, or remove this agent`);
  }
  // Write lastUsedAt at most once a minute: a busy agent should not turn every push into a row update.
  const now = new Date();
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000) {
    await systemDb().agentToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  }
  const org = await systemDb().organization.findUniqueOrThrow({ where: { id: row.organizationId }, select: { slug: true } });
  return { organizationId: row.organizationId, organizationSlug: org.slug, actor: { kind: 'agent', clusterId: row.clusterId, tokenId: row.id } };
}
