import { z } from 'zod';
import { dbFor, systemDb } from '../../platform/db/tenant';
import { authorize } from '../../platform/auth/permissions';
import { actorUserId, type OrgContext } from '../../platform/auth/context';
import { bearerToken, generateToken, hashToken, hashesEqual, tokenKind } from '../../platform/auth/tokens';
import { writeAudit } from '../audit/write-audit';
import { AppError } from '../../platform/errors';
import { consumeApiRequest } from './api-rate-limit';

export const CreateApiTokenSchema = z.object({
  name: z.string().trim().min(1).max(100),
  role: z.enum(['ADMIN', 'MEMBER', 'AUDITOR', 'VIEWER']),
  expiresAt: z.coerce.date().optional(),
});
export type CreateApiTokenInput = z.input<typeof CreateApiTokenSchema>;

/** An organization API token for integrations; returned once, stored as a hash. It never outranks ADMIN. */
export async function createApiToken(ctx: OrgContext, input: CreateApiTokenInput) {
  authorize(ctx, 'apitoken.manage');
  const data = CreateApiTokenSchema.parse(input);
  const token = generateToken('api');
  return dbFor(ctx).$transaction(async (tx) => {
    const row = await tx.apiToken.create({
      data: { organizationId: ctx.organizationId, name: data.name, role: data.role, tokenHash: token.hash, prefix: token.prefix, createdById: actorUserId(ctx), expiresAt: data.expiresAt },
    });
    await writeAudit(tx, ctx, { action: 'api_token.created', targetType: 'ApiToken', targetId: row.id, after: { name: data.name, role: data.role, prefix: token.prefix } });
    return { id: row.id, token: token.token, prefix: token.prefix };
  });
}

/**
 * Resolves an org API token to a context for the organization in the URL; any mismatch is a 401. A token or
 * organization over its request rate gets 429 with Retry-After (lib/services/orgs/api-rate-limit.ts).
 */
export async function resolveApiToken(authorization: string | null, orgSlug: string): Promise<OrgContext | null> {
  const token = bearerToken(authorization);
  if (!token) return null;
  if (tokenKind(token) !== 'api') throw new AppError('unauthenticated', 'Invalid or revoked API token');
  const hash = hashToken(token);
  const row = await systemDb().apiToken.findUnique({
    where: { tokenHash: hash },
    select: { id: true, organizationId: true, role: true, revokedAt: true, expiresAt: true, tokenHash: true, organization: { select: { slug: true } } },
  });
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt < new Date()) || !hashesEqual(row.tokenHash, hash)) {
    throw new AppError('unauthenticated', 'Invalid or revoked API token');
  }
  // A token of another organization is answered like an unknown organization.
  if (row.organization.slug !== orgSlug) throw new AppError('not_found', 'Not found');
  // Every /api/v1 request with an API token passes here, so this is the one place its rate is limited.
  await consumeApiRequest(row.organizationId, row.id);
  await systemDb().apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
  return { organizationId: row.organizationId, organizationSlug: orgSlug, actor: { kind: 'apiToken', tokenId: row.id, role: row.role } };
}
