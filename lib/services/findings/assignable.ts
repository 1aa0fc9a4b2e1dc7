import { AppError } from '../../platform/errors';
import { PERMISSIONS } from '../../platform/auth/permissions';
import type { Role } from '../../platform/db/client';
import type { TenantTx } from '../../platform/db/tenant';

/**
 * Who can be given a finding or a ticket: the roles that may act on them (acknowledge, comment, work a ticket),
 * owners, admins and members. Viewers and auditors only read, so a finding assigned to one would sit there.
 */
export const ASSIGNABLE_ROLES: readonly Role[] = (PERMISSIONS['finding.acknowledge'] as readonly Role[])
  .filter((role) => (PERMISSIONS['ticket.manage'] as readonly Role[]).includes(role));

export function isAssignableRole(role: Role): boolean {
  return ASSIGNABLE_ROLES.includes(role);
}

const ROLE_NAMES: Record<Role, string> = { OWNER: 'an owner', ADMIN: 'an admin', MEMBER: 'a member', AUDITOR: 'an auditor', VIEWER: 'a viewer' };

/**
 * Refuses (400, naming `field`) an assignee who is not a member of this organization, or whose role may not act
 * on findings and tickets. Nothing to check for no assignee.
 */
export async function checkAssignable(tx: TenantTx, userId: string | null | undefined, field: string): Promise<void> {
  if (!userId) return;
  const membership = await tx.membership.findFirst({ where: { userId }, select: { role: true, user: { select: { name: true, email: true } } } });
  if (!membership) throw new AppError('invalid', 'The assignee is not a member of this organization', [{ path: field, message: 'not a member of this organization' }]);
  if (!isAssignableRole(membership.role)) {
    const who = membership.user.name?.trim() || membership.user.email;
    throw new AppError('invalid', `Only owners, admins and members can be assigned; ${who} is ${ROLE_NAMES[membership.role]}, who may only read`, [
      { path: field, message: `${ROLE_NAMES[membership.role].replace(/^an? /, '')}s cannot be assigned: choose an owner, admin or member` },
    ]);
  }
}
