import { z } from 'zod';
import { AppError } from '../../platform/errors';
import { dbFor, systemDb } from '../../platform/db/tenant';
import { authorize } from '../../platform/auth/permissions';
import { actorUserId, systemContext, type OrgContext } from '../../platform/auth/context';
import { generateToken, hashesEqual, hashToken, tokenKind } from '../../platform/auth/tokens';
import { writeAudit } from '../audit/write-audit';
import { env } from '../../platform/env';
import { renderAgentManifests } from './agent-manifests';

/**
 * How long an install link works. It hands a new agent token to whoever fetches it first, so it is short-lived
 * and single-use: long enough to paste a command into a terminal, short enough to be worthless in a chat log.
 */
export const INSTALL_LINK_TTL_MINUTES = 15;

export const CreateInstallLinkSchema = z.object({ clusterId: z.uuid() });

export function installLinkUrl(orgSlug: string, token: string): string {
  return `${env().APP_URL.replace(/\/+$/, '')}/api/install/${encodeURIComponent(orgSlug)}/${token}`;
}

/** Mints an install link for a cluster (shown once; only its hash is kept). */
export async function createInstallLink(ctx: OrgContext, input: z.input<typeof CreateInstallLinkSchema>, now: Date = new Date()) {
  authorize(ctx, 'token.manage');
  const { clusterId } = CreateInstallLinkSchema.parse(input);
  return dbFor(ctx).$transaction(async (tx) => {
    const cluster = await tx.cluster.findUnique({ where: { id: clusterId }, select: { id: true, name: true, archivedAt: true } });
    if (!cluster) throw new AppError('not_found', 'Cluster not found');
    if (cluster.archivedAt) throw new AppError('conflict', `Cluster "${cluster.name}" is archived; restore it before installing an agent`);
    const token = generateToken('install');
    const expiresAt = new Date(now.getTime() + INSTALL_LINK_TTL_MINUTES * 60_000);
    const link = await tx.clusterInstallLink.create({
      data: { organizationId: ctx.organizationId, clusterId, tokenHash: token.hash, prefix: token.prefix, createdById: actorUserId(ctx), expiresAt },
      select: { id: true },
    });
    await writeAudit(tx, ctx, { action: 'install_link.created', targetType: 'Cluster', targetId: clusterId, after: { linkId: link.id, prefix: token.prefix, expiresAt: expiresAt.toISOString() } });
    const url = installLinkUrl(ctx.organizationSlug, token.token);
    return { id: link.id, url, command: `kubectl apply -f ${url}`, expiresAt, prefix: token.prefix };
  });
}

const notFound = () => new AppError('not_found', 'This install link does not exist. Create one on the cluster\'s page in Bulwark.');

/**
 * Uses an install link: the first fetch within its lifetime gets the agent's manifests with a new agent token;
 * any later fetch, or one after expiry, gets 410 saying which. The link only works under its own
 * organization's slug. Consumed by a conditional UPDATE, so two fetches at once cannot both get a token.
 */
export async function redeemInstallLink(orgSlug: string, token: string, now: Date = new Date()): Promise<{ yaml: string; clusterName: string }> {
  if (tokenKind(token) !== 'install') throw notFound();
  const hash = hashToken(token);
  // Cross-tenant by nature: the link is what tells us the tenant; the slug in the URL must agree.
  const link = await systemDb().clusterInstallLink.findUnique({
    where: { tokenHash: hash },
    select: { id: true, organizationId: true, clusterId: true, tokenHash: true, expiresAt: true, usedAt: true, cluster: { select: { name: true, archivedAt: true, organization: { select: { slug: true } } } } },
  });
  if (!link || !hashesEqual(link.tokenHash, hash) || link.cluster.organization.slug !== orgSlug) throw notFound();
  if (link.usedAt) throw new AppError('gone', `This install link was already used (${link.usedAt.toISOString()}); links work once. Create a new one on the cluster's page.`);
  if (link.expiresAt <= now) throw new AppError('gone', `This install link expired at ${link.expiresAt.toISOString()}; links work for ${INSTALL_LINK_TTL_MINUTES} minutes. Create a new one on the cluster's page.`);
  if (link.cluster.archivedAt) throw new AppError('conflict', `Cluster "${link.cluster.name}" is archived in Bulwark; restore it before installing an agent`);

  const ctx = systemContext(link.organizationId, 'install-link', orgSlug);
  const agentToken = await dbFor(ctx).$transaction(async (tx) => {
    const claimed = await tx.clusterInstallLink.updateMany({ where: { id: link.id, usedAt: null, expiresAt: { gt: now } }, data: { usedAt: now } });
    if (claimed.count !== 1) throw new AppError('gone', 'This install link was already used; links work once. Create a new one on the cluster\'s page.');
    const issued = generateToken('agent');
    const row = await tx.agentToken.create({ data: { organizationId: link.organizationId, clusterId: link.clusterId, tokenHash: issued.hash, prefix: issued.prefix }, select: { id: true } });
    await tx.clusterInstallLink.update({ where: { id: link.id }, data: { agentTokenId: row.id } });
    await writeAudit(tx, ctx, { action: 'install_link.used', targetType: 'Cluster', targetId: link.clusterId, after: { linkId: link.id, tokenPrefix: issued.prefix } });
    return issued.token;
  });
  return { clusterName: link.cluster.name, yaml: renderAgentManifests({ serverUrl: env().APP_URL, image: env().AGENT_IMAGE, agentToken, clusterName: link.cluster.name }) };
}

/** The agent's manifests without a token (the Secret is created by hand), for a signed-in member to download. */
export async function agentManifestsFor(ctx: OrgContext, clusterId: string): Promise<{ yaml: string; clusterName: string }> {
  authorize(ctx, 'cluster.read');
  if (!z.uuid().safeParse(clusterId).success) throw new AppError('not_found', 'Cluster not found');
  const cluster = await dbFor(ctx).cluster.findUnique({ where: { id: clusterId }, select: { name: true } });
  if (!cluster) throw new AppError('not_found', 'Cluster not found');
  return { clusterName: cluster.name, yaml: renderAgentManifests({ serverUrl: env().APP_URL, image: env().AGENT_IMAGE, clusterName: cluster.name }) };
}

/** Install links of a cluster, for its page: prefix and state only. */
export async function listInstallLinks(ctx: OrgContext, clusterId: string) {
  authorize(ctx, 'token.manage');
  return dbFor(ctx).clusterInstallLink.findMany({ where: { clusterId }, orderBy: { createdAt: 'desc' }, take: 5, select: { id: true, prefix: true, createdAt: true, expiresAt: true, usedAt: true } });
}
