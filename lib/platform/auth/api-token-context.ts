import { systemDb } from '../db/tenant';
import { AppError } from '../errors';
import type { OrgContext } from './context';
import { bearerToken, hashToken, hashesEqual, tokenKind } from './tokens';
import { consumeApiRequest } from './api-rate-limit';
import type { RequestMeta } from './request-meta';

/**
 * Resolves an org API token to a context for the organization in the URL; any mismatch is a 401. A token or
 * organization over its request rate gets 429 with Retry-After (api-rate-limit.ts).
 */
export async function resolveApiToken(authorization: string | null, orgSlug: string, request?: RequestMeta): Promise<OrgContext | null> {
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
  return { organizationId: row.organizationId, organizationSlug: orgSlug, actor: { kind: 'apiToken', tokenId: row.id, role: row.role }, ...request };
}
