'use server';
import { orgAction } from '@/lib/web/action';
import {
  RevokeInvitationSchema, ChangeMemberRoleSchema, CreateTeamSchema, DeleteGroupMappingSchema, DeleteTeamSchema, InviteMemberSchema,
  RemoveMemberSchema, RenameTeamSchema, RevokeApiTokenSchema, SetGroupMappingSchema, TeamMemberSchema, UpdateOrgSettingsSchema,
} from '@/lib/services/orgs/schemas';
import { updateOrgSettings } from '@/lib/services/orgs/settings';
import { changeMemberRole, removeMember } from '@/lib/services/orgs/members';
import { revokeInvitation } from '@/lib/services/orgs/invitations';
import { inviteMemberByMail, resendInvitationByMail } from '@/lib/services/mail/invitation-mail';
import { addTeamMember, createTeam, deleteTeam, removeTeamMember, renameTeam } from '@/lib/services/orgs/teams';
import { deleteGroupMapping, setGroupMapping } from '@/lib/services/orgs/idp-groups';
import { createApiToken, CreateApiTokenSchema } from '@/lib/services/orgs/api-tokens';
import { revokeApiToken } from '@/lib/services/orgs/api-token-admin';

// Each is called as `someAction(orgSlug, input)` and returns an ActionResult; the services authorize and audit.

export const updateOrgSettingsAction = orgAction(UpdateOrgSettingsSchema, updateOrgSettings);

// Invitations are mailed to the invitee (lib/services/mail); the inviter still sees the link once.
export const inviteMemberAction = orgAction(InviteMemberSchema, inviteMemberByMail);
export const changeMemberRoleAction = orgAction(ChangeMemberRoleSchema, changeMemberRole);
export const removeMemberAction = orgAction(RemoveMemberSchema, removeMember);
export const revokeInvitationAction = orgAction(RevokeInvitationSchema, revokeInvitation);
export const resendInvitationAction = orgAction(RevokeInvitationSchema, resendInvitationByMail);

export const createTeamAction = orgAction(CreateTeamSchema, createTeam);
export const renameTeamAction = orgAction(RenameTeamSchema, renameTeam);
export const deleteTeamAction = orgAction(DeleteTeamSchema, deleteTeam);
export const addTeamMemberAction = orgAction(TeamMemberSchema, addTeamMember);
export const removeTeamMemberAction = orgAction(TeamMemberSchema, removeTeamMember);

export const setGroupMappingAction = orgAction(SetGroupMappingSchema, setGroupMapping);
export const deleteGroupMappingAction = orgAction(DeleteGroupMappingSchema, deleteGroupMapping);

export const createApiTokenAction = orgAction(CreateApiTokenSchema, createApiToken);
export const revokeApiTokenAction = orgAction(RevokeApiTokenSchema, revokeApiToken);
