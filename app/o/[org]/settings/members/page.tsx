import type { Metadata } from 'next';
import { requireOrgContext } from '@/lib/web/context';
import { can } from '@/lib/platform/auth/permissions';
import { actorUserId } from '@/lib/platform/auth/context';
import { listMembers, mayManageOwners, type SignInMethod } from '@/lib/services/orgs/members';
import { env } from '@/lib/platform/env';
import { Card } from '@/app/_components/card';
import { TimeAgo } from '@/app/_components/time-ago';
import { changeMemberRoleAction, removeMemberAction, revokeInvitationAction } from '../actions';
import { ActionButton } from '../_components/action-button';
import { InviteMemberForm } from '../_components/invite-member-form';
import { ResendInvitationButton } from '../_components/resend-invitation-button';
import { RoleChangeForm } from '../_components/role-change-form';
import { assignableRoles, ROLE_LABELS } from '../_components/roles';

export const metadata: Metadata = { title: 'Members' };
export const dynamic = 'force-dynamic';

const SOURCE_LABELS = { BOOTSTRAP: 'Created the organization', INVITATION: 'Invitation', IDP_GROUP: 'IdP group' } as const;

function methodLabel(method: SignInMethod): string {
  switch (method.kind) {
    case 'platform': return env().OIDC_PROVIDER_NAME;
    case 'connection': return `${method.name} (single sign-on)`;
    case 'other-organization': return 'Another organization’s single sign-on';
  }
}

const INVITATION_STATUS = { pending: 'expires', expired: 'expired', revoked: 'revoked' } as const;

export default async function MembersPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const ctx = await requireOrgContext(org);
  const { members, invitations } = await listMembers(ctx);
  const canManage = can(ctx, 'member.manage');
  const ownerRights = mayManageOwners(ctx);
  const roles = assignableRoles(ownerRights);
  const me = actorUserId(ctx);
  const now = new Date();
  const owners = members.filter((m) => m.role === 'OWNER').length;

  return (
    <div className="grid gap-4">
      {canManage && (
        <Card title="Invite someone">
          <InviteMemberForm org={org} roles={roles} />
        </Card>
      )}

      <Card title={`Members (${members.length})`}>
        {!canManage && <p className="mb-3 text-sm text-slate-600">Owners and admins add, change and remove members.</p>}
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Members of this organization and their roles</caption>
            <thead className="text-xs uppercase text-slate-500">
              <tr>
                <th scope="col" className="py-2 pr-4">Member</th>
                <th scope="col" className="pr-4">Role</th>
                <th scope="col" className="hidden pr-4 sm:table-cell">Joined through</th>
                <th scope="col" className="hidden pr-4 lg:table-cell">Signs in with</th>
                <th scope="col" className="hidden pr-4 md:table-cell">Last sign-in</th>
                <th scope="col" className="hidden pr-4 md:table-cell">Since</th>
                {canManage && <th scope="col"><span className="sr-only">Actions</span></th>}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {members.map((member) => {
                const isMe = member.userId === me;
                const editable = canManage && !isMe && (member.role !== 'OWNER' || ownerRights);
                const lastOwner = member.role === 'OWNER' && owners <= 1;
                return (
                  <tr key={member.id} className="align-top">
                    <td className="py-2 pr-4">
                      <span className="block font-medium">{member.name ?? member.email}{isMe && <span className="ml-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs font-medium text-slate-600">you</span>}</span>
                      {member.name && <span className="block break-all text-xs text-slate-500">{member.email}</span>}
                    </td>
                    <td className="py-2 pr-4">
                      {editable && !lastOwner
                        ? <RoleChangeForm org={org} action={changeMemberRoleAction} input={{ membershipId: member.id }} current={member.role} roles={roles} subject={member.email} />
                        : <span>{ROLE_LABELS[member.role]}{lastOwner && <span className="block text-xs text-slate-500">the only owner</span>}</span>}
                    </td>
                    <td className="hidden py-2 pr-4 sm:table-cell">
                      {SOURCE_LABELS[member.source]}
                      {member.source === 'IDP_GROUP' && <span className="block text-xs text-slate-500">role follows the mapping at each sign-in</span>}
                    </td>
                    <td className="hidden py-2 pr-4 lg:table-cell">
                      {member.signInMethods.length === 0 ? <span className="text-slate-500">no sign-in linked</span>
                        : member.signInMethods.map((method) => <span key={methodLabel(method)} className="block">{methodLabel(method)}</span>)}
                    </td>
                    <td className="hidden py-2 pr-4 md:table-cell"><TimeAgo date={member.lastSignInAt} now={now} /></td>
                    <td className="hidden py-2 pr-4 md:table-cell"><TimeAgo date={member.createdAt} now={now} /></td>
                    {canManage && (
                      <td className="py-2 text-right">
                        {editable && !lastOwner && (
                          <ActionButton org={org} action={removeMemberAction} input={{ membershipId: member.id }} label="Remove" accessibleLabel={`Remove ${member.email}`}
                            confirm={`Remove ${member.email} from this organization?${member.source === 'IDP_GROUP' ? ' They come back at their next sign-in unless their IdP group mapping is removed too.' : ''}`} />
                        )}
                      </td>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </Card>

      {canManage && (
        <Card title={`Invitations not yet accepted (${invitations.length})`}>
          {invitations.length === 0 ? <p className="text-sm text-slate-500">No pending invitations.</p> : (
            <ul className="divide-y divide-slate-100 text-sm">
              {invitations.map((invitation) => {
                const manageable = invitation.role !== 'OWNER' || ownerRights;
                return (
                  <li key={invitation.id} className="flex flex-wrap items-start justify-between gap-2 py-2">
                    <span className="min-w-0">
                      <span className="block break-all font-medium">{invitation.email}</span>
                      <span className="text-xs text-slate-500">
                        {ROLE_LABELS[invitation.role]} · invited <TimeAgo date={invitation.createdAt} now={now} /> · {' '}
                        <span className={invitation.status === 'pending' ? '' : 'font-medium text-amber-700'}>
                          {INVITATION_STATUS[invitation.status]} {invitation.status === 'revoked' ? <TimeAgo date={invitation.revokedAt} now={now} /> : <TimeAgo date={invitation.expiresAt} now={now} />}
                        </span>
                      </span>
                    </span>
                    {manageable && (
                      <span className="flex flex-col items-end gap-1">
                        <ResendInvitationButton org={org} invitationId={invitation.id} email={invitation.email} label={invitation.status === 'pending' ? 'New link' : 'Send again'} />
                        {invitation.status !== 'revoked' && (
                          <ActionButton org={org} action={revokeInvitationAction} input={{ invitationId: invitation.id }} label="Revoke" accessibleLabel={`Revoke the invitation of ${invitation.email}`} confirm={`Revoke the invitation of ${invitation.email}? Its link stops working at once.`} />
                        )}
                      </span>
                    )}
                  </li>
                );
              })}
            </ul>
          )}
        </Card>
      )}
    </div>
  );
}
