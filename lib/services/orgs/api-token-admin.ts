import { dbFor } from '../../platform/db/tenant';
import { authorize } from '../../platform/auth/permissions';
import type { OrgContext } from '../../platform/auth/context';
import { writeAudit } from '../audit/write-audit';
import { AppError } from '../../platform/errors';
import { parseInput, RevokeApiTokenSchema, type RevokeApiTokenInput } from './schemas';

// Creation is createApiToken in ./api-tokens (the token is shown once). Reads here select named columns, so the
// hash could not leak even if the client's global omit changed.
const TOKEN_SELECT = { id: true, name: true, prefix: true, role: true, createdAt: true, lastUsedAt: true, revokedAt: true, expiresAt: true } as const;

/** The organization's API tokens, newest first: display prefix and dates, never the hash. */
export async function listApiTokens(ctx: OrgContext) {
  authorize(ctx, 'apitoken.manage');
  return dbFor(ctx).apiToken.findMany({ orderBy: { createdAt: 'desc' }, select: TOKEN_SELECT });
}

/** Revokes an API token at once; revoking a revoked token changes nothing. */
export async function revokeApiToken(ctx: OrgContext, input: RevokeApiTokenInput) {
  authorize(ctx, 'apitoken.manage');
  const data = parseInput(RevokeApiTokenSchema, input);
  return dbFor(ctx).$transaction(async (tx) => {
    const token = await tx.apiToken.findUnique({ where: { id: data.tokenId }, select: TOKEN_SELECT });
    if (!token) throw new AppError('not_found', 'API token not found');
    if (token.revokedAt) return token;
    const revoked = await tx.apiToken.update({ where: { id: token.id }, data: { revokedAt: new Date() }, select: TOKEN_SELECT });
    await writeAudit(tx, ctx, { action: 'api_token.revoked', targetType: 'ApiToken', targetId: token.id, before: { name: token.name, prefix: token.prefix, role: token.role } });
    return revoked;
  });
}
