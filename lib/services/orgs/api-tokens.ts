import { z } from 'zod';
import { dbFor } from '../../platform/db/tenant';
import { authorize } from '../../platform/auth/permissions';
import { actorUserId, type OrgContext } from '../../platform/auth/context';
import { generateToken } from '../../platform/auth/tokens';
import { writeAudit } from '../audit/write-audit';

export const CreateApiTokenSchema = z.object({
  name: z.string().trim().min(1).max(100),
  role: z.enum(['ADMIN', 'MEMBER', 'AUDITOR', 'VIEWER']),
  expiresAt: z.coerce.date().optional(),
});
export type CreateApiTokenInput = z.input<typeof CreateApiTokenSchema>;

/**
 * An organization API token for integrations; returned once, stored as a hash. It never outranks ADMIN. Requests
 * carrying one get their context from lib/platform/auth/api-token-context.ts.
 */
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
