import { dbFor } from '../../platform/db/tenant';
import { authorize } from '../../platform/auth/permissions';
import type { OrgContext } from '../../platform/auth/context';
import { writeAudit } from '../audit/write-audit';
import { AppError } from '../../platform/errors';
import { parseInput } from '../orgs/schemas';
import { SetSsoEnforcementSchema, type SetSsoEnforcementInput } from './schemas';

// With enforcement on, members reach the organization only with a session from one of its own enabled connections
// (lib/platform/auth/membership.ts checks it per request); the break-glass owner is exempt, for when the IdP is down or
// misconfigured. API tokens and agent tokens are not sessions and are unaffected.

export async function getSsoEnforcement(ctx: OrgContext) {
  authorize(ctx, 'sso.manage');
  const db = dbFor(ctx);
  const [org, owners, enabledConnections] = await Promise.all([
    db.organization.findUniqueOrThrow({ where: { id: ctx.organizationId }, select: { ssoEnforced: true, ssoBreakGlassUserId: true } }),
    db.membership.findMany({ where: { role: 'OWNER' }, select: { userId: true, user: { select: { email: true, name: true } } }, orderBy: { createdAt: 'asc' } }),
    db.ssoConnection.count({ where: { enabled: true } }),
  ]);
  return {
    enforced: org.ssoEnforced,
    breakGlassUserId: org.ssoBreakGlassUserId,
    owners: owners.map((o) => ({ userId: o.userId, email: o.user.email, name: o.user.name })),
    enabledConnections,
  };
}

export async function setSsoEnforcement(ctx: OrgContext, input: SetSsoEnforcementInput) {
  authorize(ctx, 'sso.manage');
  const data = parseInput(SetSsoEnforcementSchema, input);
  return dbFor(ctx).$transaction(async (tx) => {
    const before = await tx.organization.findUniqueOrThrow({ where: { id: ctx.organizationId }, select: { ssoEnforced: true, ssoBreakGlassUserId: true } });
    if (data.enforced) {
      if ((await tx.ssoConnection.count({ where: { enabled: true } })) === 0) {
        throw new AppError('conflict', 'Add and enable an SSO connection before enforcing single sign-on', [{ path: 'enforced', message: 'no enabled connection' }]);
      }
      if (!data.breakGlassUserId) throw new AppError('invalid', 'Choose a break-glass owner: the one person who may still sign in another way', [{ path: 'breakGlassUserId', message: 'choose an owner' }]);
    }
    if (data.breakGlassUserId) {
      const owner = await tx.membership.findFirst({ where: { userId: data.breakGlassUserId, role: 'OWNER' }, select: { id: true } });
      if (!owner) throw new AppError('invalid', 'The break-glass account must be an owner of this organization', [{ path: 'breakGlassUserId', message: 'not an owner' }]);
    }
    const after = { ssoEnforced: data.enforced, ssoBreakGlassUserId: data.breakGlassUserId };
    if (before.ssoEnforced === after.ssoEnforced && before.ssoBreakGlassUserId === after.ssoBreakGlassUserId) return { enforced: data.enforced, breakGlassUserId: data.breakGlassUserId };
    await tx.organization.update({ where: { id: ctx.organizationId }, data: after });
    await writeAudit(tx, ctx, { action: 'sso.enforcement_changed', targetType: 'Organization', targetId: ctx.organizationId, before, after });
    return { enforced: data.enforced, breakGlassUserId: data.breakGlassUserId };
  });
}
