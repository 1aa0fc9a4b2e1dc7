import { dbFor, type TenantTx } from '../../platform/db/tenant';
import { Prisma } from '../../platform/db/client';
import { authorize, can } from '../../platform/auth/permissions';
import { actorUserId, type OrgContext } from '../../platform/auth/context';
import { writeAudit } from '../audit/write-audit';
import { newInvitationLink } from '../../platform/auth/invitation-link';
import { AppError } from '../../platform/errors';
import {
  ChangeMemberRoleSchema, InviteMemberSchema, parseInput, RemoveMemberSchema,
  type ChangeMemberRoleInput, type InviteMemberInput, type RemoveMemberInput,
} from './schemas';

/** Only an owner (or the platform itself) may grant, change or take away the OWNER role. */
export function mayManageOwners(ctx: OrgContext): boolean {
  return ctx.actor.kind === 'system' || ((ctx.actor.kind === 'user' || ctx.actor.kind === 'apiToken') && ctx.actor.role === 'OWNER');
}

export function assertMayManageOwners(ctx: OrgContext, what: string): void {
  if (!mayManageOwners(ctx)) throw new AppError('forbidden', `Only an owner can ${what}`);
}

const LAST_OWNER = 'An organization needs at least one owner: make another member an owner first';

/**
 * Locks the organization's OWNER memberships and counts them. Two owners demoting each other at the same moment
 * would each still see the other as an owner; rewriting the OWNER rows to themselves row-locks them, so the
 * second change waits for the first and then counts what it left.
 */
async function lockOwners(tx: TenantTx): Promise<number> {
  await tx.membership.updateMany({ where: { role: 'OWNER' }, data: { role: 'OWNER' } });
  return tx.membership.count({ where: { role: 'OWNER' } });
}

/**
 * How a member signs in, as this organization may see it: the platform IdP, or one of this organization's own
 * connections by name. A connection of another organization is not named: that would tell this organization
 * where else the person works.
 */
export type SignInMethod = { kind: 'platform' } | { kind: 'connection'; name: string } | { kind: 'other-organization' };

// Row-level security hides other organizations' connections from this query, so a connectionId whose
// connection reads as null is another organization's.
function signInMethods(organizationId: string, identities: { connectionId: string | null; connection: { organizationId: string; name: string } | null }[]): SignInMethod[] {
  const methods: SignInMethod[] = identities.map((i) => (!i.connectionId ? { kind: 'platform' }
    : i.connection?.organizationId === organizationId ? { kind: 'connection', name: i.connection.name }
    : { kind: 'other-organization' }));
  const seen = new Set<string>();
  return methods.filter((m) => {
    const key = m.kind === 'connection' ? `c:${m.name}` : m.kind;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export type InvitationStatus = 'pending' | 'expired' | 'revoked';

function invitationStatus(invitation: { revokedAt: Date | null; expiresAt: Date }, now: Date): InvitationStatus {
  if (invitation.revokedAt) return 'revoked';
  return invitation.expiresAt <= now ? 'expired' : 'pending';
}

/**
 * Members with their user, how they sign in and when they last did, by role then email; invitations not yet
 * accepted (pending, expired or revoked) only for those who manage members.
 */
export async function listMembers(ctx: OrgContext, now = new Date()) {
  authorize(ctx, 'member.read');
  const db = dbFor(ctx);
  const [memberships, invitations] = await Promise.all([
    db.membership.findMany({
      orderBy: [{ role: 'asc' }, { user: { email: 'asc' } }],
      select: {
        id: true, role: true, source: true, createdAt: true,
        user: { select: { id: true, email: true, name: true, lastSignInAt: true, identities: { orderBy: { createdAt: 'asc' }, select: { connectionId: true, connection: { select: { organizationId: true, name: true } } } } } },
      },
    }),
    // Pending invitations name people outside the organization: only those who may manage members see them.
    can(ctx, 'member.manage')
      ? db.invitation.findMany({ where: { acceptedAt: null }, orderBy: { createdAt: 'desc' }, select: { id: true, email: true, role: true, createdAt: true, expiresAt: true, revokedAt: true } })
      : Promise.resolve([]),
  ]);
  return {
    members: memberships.map((m) => ({
      id: m.id, userId: m.user.id, email: m.user.email, name: m.user.name, role: m.role, source: m.source, createdAt: m.createdAt,
      lastSignInAt: m.user.lastSignInAt, signInMethods: signInMethods(ctx.organizationId, m.user.identities),
    })),
    invitations: invitations.map((i) => ({ ...i, status: invitationStatus(i, now) })),
  };
}

/**
 * Invites an email address with a role and returns the invitation link's token, shown to the inviter once (only
 * its hash is kept). The invitee accepts with an explicit click on the link (lib/services/orgs/invitations.ts); nothing is
 * granted at sign-in. Inviting an address that already has an invitation replaces its link (the old one stops
 * working) and its role; inviting an existing member is a conflict.
 */
export async function inviteMember(ctx: OrgContext, input: InviteMemberInput) {
  authorize(ctx, 'member.manage');
  const data = parseInput(InviteMemberSchema, input);
  if (data.role === 'OWNER') assertMayManageOwners(ctx, 'invite an owner');
  try {
    return await dbFor(ctx).$transaction(async (tx) => {
      const users = await tx.user.findMany({ where: { email: data.email }, select: { id: true } });
      if (users.length && (await tx.membership.findFirst({ where: { userId: { in: users.map((u) => u.id) } }, select: { id: true } }))) {
        throw new AppError('conflict', `${data.email} is already a member; change their role in the list instead`, [{ path: 'email', message: 'already a member' }]);
      }
      const existing = await tx.invitation.findFirst({ where: { email: data.email } });
      if (existing) {
        if (existing.role === 'OWNER' && !existing.acceptedAt) assertMayManageOwners(ctx, 'change an owner invitation');
        // An accepted invitation of someone who has since left, or an expired or revoked one, gets a fresh link.
        const org = await tx.organization.findUniqueOrThrow({ where: { id: ctx.organizationId }, select: { invitationExpiryDays: true } });
        const link = newInvitationLink(org.invitationExpiryDays);
        const invitation = await tx.invitation.update({ where: { id: existing.id }, data: { role: data.role, acceptedAt: null, acceptedById: null, revokedAt: null, invitedById: actorUserId(ctx), ...link.stored } });
        await writeAudit(tx, ctx, { action: 'invitation.updated', targetType: 'Invitation', targetId: invitation.id, before: { email: existing.email, role: existing.role, acceptedAt: existing.acceptedAt }, after: { email: invitation.email, role: invitation.role } });
        return { id: invitation.id, email: invitation.email, role: invitation.role, created: false, token: link.token, expiresAt: invitation.expiresAt };
      }
      const org = await tx.organization.findUniqueOrThrow({ where: { id: ctx.organizationId }, select: { invitationExpiryDays: true } });
      const link = newInvitationLink(org.invitationExpiryDays);
      const invitation = await tx.invitation.create({ data: { organizationId: ctx.organizationId, email: data.email, role: data.role, invitedById: actorUserId(ctx), ...link.stored } });
      await writeAudit(tx, ctx, { action: 'invitation.created', targetType: 'Invitation', targetId: invitation.id, after: { email: invitation.email, role: invitation.role } });
      return { id: invitation.id, email: invitation.email, role: invitation.role, created: true, token: link.token, expiresAt: invitation.expiresAt };
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      throw new AppError('conflict', `${data.email} was invited at the same moment by someone else; reload and try again`, [{ path: 'email', message: 'already invited' }]);
    }
    throw error;
  }
}

/** Changes a member's role. Nobody changes their own; only owners touch OWNER; the last owner stays an owner. */
export async function changeMemberRole(ctx: OrgContext, input: ChangeMemberRoleInput) {
  authorize(ctx, 'member.manage');
  const data = parseInput(ChangeMemberRoleSchema, input);
  return dbFor(ctx).$transaction(async (tx) => {
    const owners = await lockOwners(tx);
    const membership = await tx.membership.findUnique({ where: { id: data.membershipId }, include: { user: { select: { email: true } } } });
    if (!membership) throw new AppError('not_found', 'Member not found');
    if (membership.userId === actorUserId(ctx)) throw new AppError('forbidden', 'You cannot change your own role; ask another owner or admin');
    if (membership.role === 'OWNER') assertMayManageOwners(ctx, 'change the role of an owner');
    if (data.role === 'OWNER') assertMayManageOwners(ctx, 'make someone an owner');
    if (membership.role === data.role) return { id: membership.id, role: membership.role };
    if (membership.role === 'OWNER' && owners <= 1) throw new AppError('conflict', LAST_OWNER);
    const updated = await tx.membership.update({ where: { id: membership.id }, data: { role: data.role } });
    await writeAudit(tx, ctx, { action: 'membership.role_changed', targetType: 'User', targetId: membership.userId, before: { email: membership.user.email, role: membership.role }, after: { email: membership.user.email, role: updated.role } });
    return { id: updated.id, role: updated.role };
  });
}

/**
 * Removes a member and their team memberships. Someone who came in through an IdP group mapping is added again
 * at their next sign-in while the mapping and their group stay; remove the mapping for a lasting removal.
 */
export async function removeMember(ctx: OrgContext, input: RemoveMemberInput) {
  authorize(ctx, 'member.manage');
  const data = parseInput(RemoveMemberSchema, input);
  return dbFor(ctx).$transaction(async (tx) => {
    const owners = await lockOwners(tx);
    const membership = await tx.membership.findUnique({ where: { id: data.membershipId }, include: { user: { select: { email: true } } } });
    if (!membership) throw new AppError('not_found', 'Member not found');
    if (membership.role === 'OWNER') assertMayManageOwners(ctx, 'remove an owner');
    if (membership.role === 'OWNER' && owners <= 1) throw new AppError('conflict', LAST_OWNER);
    const teams = await tx.teamMember.deleteMany({ where: { userId: membership.userId } });
    // A finding must not stay assigned to someone who can no longer see it: unassign it, on its timeline.
    const assigned = await tx.finding.findMany({ where: { assigneeUserId: membership.userId }, select: { id: true } });
    if (assigned.length > 0) {
      await tx.finding.updateMany({ where: { id: { in: assigned.map((f) => f.id) } }, data: { assigneeUserId: null } });
      await tx.findingEvent.createMany({ data: assigned.map((f) => ({ organizationId: ctx.organizationId, findingId: f.id, type: 'assigned', actorUserId: actorUserId(ctx), data: { assigneeUserId: null, reason: `${membership.user.email} left the organization` } })) });
    }
    await tx.membership.delete({ where: { id: membership.id } });
    await writeAudit(tx, ctx, { action: 'membership.removed', targetType: 'User', targetId: membership.userId, before: { email: membership.user.email, role: membership.role, source: membership.source, teams: teams.count, unassignedFindings: assigned.length } });
    return { id: membership.id, source: membership.source };
  });
}
