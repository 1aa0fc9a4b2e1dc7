import type { OrgContext } from '../../platform/auth/context';
import { dbFor } from '../../platform/db/tenant';
import { env } from '../../platform/env';
import { inviteMember } from '../orgs/members';
import { resendInvitation } from '../orgs/invitations';
import type { InviteMemberInput, RevokeInvitationInput } from '../orgs/schemas';
import { sendMail } from './send-mail';

const ROLE_WORDS: Record<string, string> = { OWNER: 'an owner', ADMIN: 'an admin', MEMBER: 'a member', AUDITOR: 'an auditor', VIEWER: 'a viewer' };

/** The absolute link an invitee opens (the same path the settings page shows the inviter). */
export function invitationLink(token: string): string {
  return `${env().APP_URL.replace(/\/$/, '')}/invitations/${token}`;
}

/**
 * Mails an invitation link to the invitee. Transactional (no unsubscribe): it is the invitee's only way in. The link
 * is the single token the mail carries: single use, expiring, and only its hash is stored.
 */
async function mailInvitation(ctx: OrgContext, invitation: { email: string; role: string; token: string; expiresAt: Date }): Promise<boolean> {
  const org = await dbFor(ctx).organization.findUniqueOrThrow({ where: { id: ctx.organizationId }, select: { name: true } });
  const inviter = ctx.actor.kind === 'user' ? (ctx.actor.name ?? ctx.actor.email) : null;
  const sent = await sendMail(ctx, {
    to: [{ email: invitation.email }],
    category: 'invitation',
    subject: `You are invited to ${org.name} on Bulwark`,
    template: {
      heading: `Join ${org.name} on Bulwark`,
      paragraphs: [
        `${inviter ?? 'An administrator'} invited you to join ${org.name} as ${ROLE_WORDS[invitation.role] ?? invitation.role.toLowerCase()}.`,
        `Sign in with this address (${invitation.email}) and accept the invitation.`,
      ],
      action: { label: 'Open the invitation', url: invitationLink(invitation.token) },
      footnote: `The link works once and expires on ${invitation.expiresAt.toUTCString()}. If you did not expect this invitation, ignore this e-mail.`,
    },
  });
  return sent.queued > 0;
}

/** Invites an address (orgs/members.ts inviteMember) and mails the invitee the link; the inviter still sees the link once. */
export async function inviteMemberByMail(ctx: OrgContext, input: InviteMemberInput) {
  const invitation = await inviteMember(ctx, input);
  return { ...invitation, mailed: await mailInvitation(ctx, invitation) };
}

/** A new link for an invitation (orgs/invitations.ts resendInvitation), mailed to the invitee. */
export async function resendInvitationByMail(ctx: OrgContext, input: RevokeInvitationInput) {
  const invitation = await resendInvitation(ctx, input);
  return { ...invitation, mailed: await mailInvitation(ctx, invitation) };
}
