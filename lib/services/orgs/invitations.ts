import { systemDb, dbFor } from '../../platform/db/tenant';
import type { Role } from '../../platform/db/client';
import { authorize } from '../../platform/auth/permissions';
import { actorUserId, systemContext, userContext, type OrgContext } from '../../platform/auth/context';
import { writeAudit } from '../audit/write-audit';
import { newInvitationLink } from '../../platform/auth/invitation-link';
import { hashToken, tokenKind } from '../../platform/auth/tokens';
import { AppError } from '../../platform/errors';
import { assertMayManageOwners } from './members';
import { parseInput, RevokeInvitationSchema, type RevokeInvitationInput } from './schemas';

/** Why an invitation link grants nothing, as the invitation page says it. */
export type InvitationRefusal = 'unknown' | 'expired' | 'revoked' | 'used' | 'other-address' | 'unverified-email';

export const INVITATION_REFUSALS: Record<InvitationRefusal, { title: string; detail: string }> = {
  unknown: { title: 'This invitation link is not valid', detail: 'Check that you copied the whole link, or ask for a new one.' },
  expired: { title: 'This invitation has expired', detail: 'Ask an owner or admin of the organization to send you a new link.' },
  revoked: { title: 'This invitation was withdrawn', detail: 'An owner or admin of the organization revoked it. Ask them if you still need access.' },
  used: { title: 'This invitation has already been used', detail: 'Each link works once. If it was not you who used it, tell the organization\'s owners.' },
  'other-address': { title: 'This invitation is for someone else', detail: 'It was sent to a different email address than the one you signed in with. Sign in with the invited address, or ask for an invitation to yours.' },
  'unverified-email': { title: 'Your sign-in does not vouch for your email address', detail: 'Your identity provider did not mark your email address as verified, so it cannot prove the invitation is yours. Sign in with a provider that verifies it, or through the organization\'s own single sign-on.' },
};

export class InvitationRefusedError extends AppError {
  constructor(readonly reason: InvitationRefusal) {
    super(reason === 'unknown' ? 'not_found' : reason === 'other-address' || reason === 'unverified-email' ? 'forbidden' : 'conflict', INVITATION_REFUSALS[reason].title);
  }
}

type InvitationRow = { id: string; organizationId: string; email: string; role: Role; expiresAt: Date; revokedAt: Date | null; acceptedAt: Date | null; organization: { name: string; slug: string } };

const ROW_SELECT = { id: true, organizationId: true, email: true, role: true, expiresAt: true, revokedAt: true, acceptedAt: true, organization: { select: { name: true, slug: true } } } as const;

/** Crosses tenants on purpose: the token is the only key a visitor has, and it names one invitation. */
async function findByToken(token: string): Promise<InvitationRow | null> {
  if (tokenKind(token) !== 'invitation') return null;
  return systemDb().invitation.findUnique({ where: { tokenHash: hashToken(token) }, select: ROW_SELECT });
}

function stateOf(row: InvitationRow, now: Date): InvitationRefusal | null {
  if (row.acceptedAt) return 'used';
  if (row.revokedAt) return 'revoked';
  if (row.expiresAt <= now) return 'expired';
  return null;
}

/** Records the first attempt to use an expired link in the organization's audit log (later ones add nothing). */
async function recordExpired(row: InvitationRow): Promise<void> {
  const ctx = systemContext(row.organizationId, 'invitation-link', row.organization.slug);
  await dbFor(ctx).$transaction(async (tx) => {
    if (await tx.auditLog.findFirst({ where: { action: 'invitation.expired', targetId: row.id }, select: { id: true } })) return;
    await writeAudit(tx, ctx, { action: 'invitation.expired', targetType: 'Invitation', targetId: row.id, before: { email: row.email, role: row.role, expiresAt: row.expiresAt } });
  });
}

export type InvitationView =
  | { ok: true; id: string; email: string; role: Role; expiresAt: Date; organization: { name: string; slug: string } }
  | { ok: false; reason: InvitationRefusal };

/**
 * What the invitation page shows for a token. Only a live invitation names its organization; an expired one is
 * recorded in that organization's audit log.
 */
export async function describeInvitation(token: string, now = new Date()): Promise<InvitationView> {
  const row = await findByToken(token);
  if (!row) return { ok: false, reason: 'unknown' };
  const refusal = stateOf(row, now);
  if (refusal === 'expired') await recordExpired(row);
  if (refusal) return { ok: false, reason: refusal };
  return { ok: true, id: row.id, email: row.email, role: row.role, expiresAt: row.expiresAt, organization: row.organization };
}

/**
 * Whether this sign-in may accept the invitation: its identity's email is verified by the IdP and equals the
 * invited address (case-insensitive), or the identity came through one of the organization's own SSO
 * connections (the organization vouches for everyone its IdP signs in).
 */
export async function refusalForIdentity(invitation: { organizationId: string; email: string }, signIn: { userId: string; identityId: string }): Promise<InvitationRefusal | null> {
  const identity = await systemDb().userIdentity.findUnique({
    where: { id: signIn.identityId },
    select: { userId: true, email: true, emailVerified: true, connection: { select: { organizationId: true } } },
  });
  if (!identity || identity.userId !== signIn.userId) return 'other-address';
  if (identity.connection?.organizationId === invitation.organizationId) return null;
  if (identity.email.toLowerCase() !== invitation.email.toLowerCase()) return 'other-address';
  return identity.emailVerified ? null : 'unverified-email';
}

/** The invitation page's view for a signed-in visitor: the invitation, or why their sign-in cannot accept it. */
export async function describeInvitationFor(token: string, signIn: { userId: string; identityId: string }, now = new Date()): Promise<InvitationView> {
  const view = await describeInvitation(token, now);
  if (!view.ok) return view;
  const row = await systemDb().invitation.findUniqueOrThrow({ where: { id: view.id }, select: { organizationId: true, email: true } });
  const refusal = await refusalForIdentity(row, signIn);
  return refusal ? { ok: false, reason: refusal } : view;
}

/**
 * Accepts an invitation with an explicit click. Single use: the accepting UPDATE is conditional on the link
 * still being live, so two clicks (or two people) racing get one membership. Someone already a member keeps
 * their role (an invitation never downgrades); the invitation is used up either way.
 */
export async function acceptInvitation(token: string, signIn: { userId: string; identityId: string }, now = new Date()): Promise<{ organizationSlug: string; role: Role; alreadyMember: boolean }> {
  const row = await findByToken(token);
  if (!row) throw new InvitationRefusedError('unknown');
  const state = stateOf(row, now);
  if (state === 'expired') await recordExpired(row);
  if (state) throw new InvitationRefusedError(state);
  const refusal = await refusalForIdentity(row, signIn);
  if (refusal) throw new InvitationRefusedError(refusal);
  const user = await systemDb().user.findUniqueOrThrow({ where: { id: signIn.userId }, select: { email: true, name: true } });
  const ctx = userContext({ id: row.organizationId, slug: row.organization.slug }, { userId: signIn.userId, ...user }, row.role);
  return dbFor(ctx).$transaction(async (tx) => {
    const taken = await tx.invitation.updateMany({ where: { id: row.id, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } }, data: { acceptedAt: now, acceptedById: signIn.userId } });
    if (taken.count !== 1) throw new InvitationRefusedError('used');
    const existing = await tx.membership.findFirst({ where: { userId: signIn.userId }, select: { role: true } });
    if (!existing) await tx.membership.create({ data: { organizationId: row.organizationId, userId: signIn.userId, role: row.role, source: 'INVITATION' } });
    await writeAudit(tx, ctx, {
      action: 'invitation.accepted', targetType: 'Invitation', targetId: row.id,
      after: { email: row.email, role: row.role, acceptedById: signIn.userId, identityId: signIn.identityId, alreadyMember: Boolean(existing) },
    });
    return { organizationSlug: row.organization.slug, role: existing?.role ?? row.role, alreadyMember: Boolean(existing) };
  });
}

/** Withdraws a pending invitation: its link stops working at once; the row stays for the record. */
export async function revokeInvitation(ctx: OrgContext, input: RevokeInvitationInput) {
  authorize(ctx, 'member.manage');
  const data = parseInput(RevokeInvitationSchema, input);
  return dbFor(ctx).$transaction(async (tx) => {
    const invitation = await tx.invitation.findUnique({ where: { id: data.invitationId } });
    if (!invitation) throw new AppError('not_found', 'Invitation not found');
    if (invitation.acceptedAt) throw new AppError('conflict', `${invitation.email} already accepted; remove the member instead`);
    if (invitation.role === 'OWNER') assertMayManageOwners(ctx, 'revoke an owner invitation');
    if (invitation.revokedAt) return { id: invitation.id };
    await tx.invitation.update({ where: { id: invitation.id }, data: { revokedAt: new Date() } });
    await writeAudit(tx, ctx, { action: 'invitation.revoked', targetType: 'Invitation', targetId: invitation.id, before: { email: invitation.email, role: invitation.role, expiresAt: invitation.expiresAt } });
    return { id: invitation.id };
  });
}

/**
 * A new link for a pending, expired or revoked invitation: the old link stops working, the new one is shown
 * once and expires after the organization's invitation expiry.
 */
export async function resendInvitation(ctx: OrgContext, input: RevokeInvitationInput) {
  authorize(ctx, 'member.manage');
  const data = parseInput(RevokeInvitationSchema, input);
  return dbFor(ctx).$transaction(async (tx) => {
    const invitation = await tx.invitation.findUnique({ where: { id: data.invitationId } });
    if (!invitation) throw new AppError('not_found', 'Invitation not found');
    if (invitation.acceptedAt) throw new AppError('conflict', `${invitation.email} already accepted`);
    if (invitation.role === 'OWNER') assertMayManageOwners(ctx, 'resend an owner invitation');
    const org = await tx.organization.findUniqueOrThrow({ where: { id: ctx.organizationId }, select: { invitationExpiryDays: true } });
    const link = newInvitationLink(org.invitationExpiryDays);
    const updated = await tx.invitation.update({ where: { id: invitation.id }, data: { ...link.stored, revokedAt: null, invitedById: actorUserId(ctx) } });
    await writeAudit(tx, ctx, { action: 'invitation.renewed', targetType: 'Invitation', targetId: invitation.id, before: { expiresAt: invitation.expiresAt, revokedAt: invitation.revokedAt }, after: { email: updated.email, role: updated.role, expiresAt: updated.expiresAt } });
    return { id: updated.id, email: updated.email, role: updated.role, expiresAt: updated.expiresAt, token: link.token };
  });
}
