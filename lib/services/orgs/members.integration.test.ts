import { newInvitationLink } from '../../platform/auth/invitation-link';
import { afterAll, describe, expect, it } from 'vitest';
import { systemDb } from '../../platform/db/tenant';
import { disconnectDb, type Role } from '../../platform/db/client';
import { systemContext, type OrgContext } from '../../platform/auth/context';
import { createMember, createOrg, createUser } from '../../testing/factories';
import { changeMemberRole, inviteMember, listMembers, removeMember } from './members';
import { resendInvitation, revokeInvitation } from './invitations';
import { addTeamMember, createTeam } from './teams';

afterAll(() => disconnectDb());

/** Everything the member services could change in an organization, to assert that a refused call changed nothing. */
async function orgState(organizationId: string) {
  const db = systemDb();
  const [memberships, invitations, teamMembers, audit] = await Promise.all([
    db.membership.findMany({ where: { organizationId }, orderBy: { userId: 'asc' }, select: { userId: true, role: true } }),
    db.invitation.findMany({ where: { organizationId }, orderBy: { email: 'asc' }, select: { email: true, role: true, acceptedAt: true, revokedAt: true, expiresAt: true } }),
    db.teamMember.count({ where: { organizationId } }),
    db.auditLog.count({ where: { organizationId } }),
  ]);
  return { memberships, invitations, teamMembers, audit };
}

async function lastAudit(organizationId: string) {
  return systemDb().auditLog.findFirstOrThrow({ where: { organizationId }, orderBy: { seq: 'desc' } });
}

async function membershipOf(org: { id: string }, userId: string) {
  return systemDb().membership.findFirstOrThrow({ where: { organizationId: org.id, userId } });
}

async function orgWithOwner(name?: string) {
  const org = await createOrg(name);
  const owner = await createMember(org, 'OWNER');
  return { org, owner };
}

describe('listing members', () => {
  it('shows pending invitations to owners and admins, and only the member list to everyone else', async () => {
    const { org, owner } = await orgWithOwner();
    const viewer = await createMember(org, 'VIEWER');
    await inviteMember(owner.ctx, { email: 'New.Person@Example.test', role: 'MEMBER' });

    const forOwner = await listMembers(owner.ctx);
    expect(forOwner.members.map((m) => m.role)).toEqual(['OWNER', 'VIEWER']);
    expect(forOwner.invitations).toEqual([expect.objectContaining({ email: 'new.person@example.test', role: 'MEMBER' })]);

    const forViewer = await listMembers(viewer.ctx);
    expect(forViewer.members).toHaveLength(2);
    expect(forViewer.invitations).toEqual([]);
  });
});

describe('inviting', () => {
  it('invites an address, and inviting it again changes the pending invitation\'s role', async () => {
    const { org, owner } = await orgWithOwner();
    const first = await inviteMember(owner.ctx, { email: 'dana@example.test', role: 'VIEWER' });
    expect(first).toMatchObject({ created: true, role: 'VIEWER' });
    expect((await lastAudit(org.id)).action).toBe('invitation.created');

    const again = await inviteMember(owner.ctx, { email: 'DANA@example.test', role: 'AUDITOR' });
    expect(again).toMatchObject({ id: first.id, created: false, role: 'AUDITOR' });
    expect(await systemDb().invitation.findMany({ where: { organizationId: org.id } })).toEqual([expect.objectContaining({ email: 'dana@example.test', role: 'AUDITOR', acceptedAt: null })]);
    expect(await lastAudit(org.id)).toMatchObject({ action: 'invitation.updated', before: expect.objectContaining({ role: 'VIEWER' }), after: expect.objectContaining({ role: 'AUDITOR' }) });
  });

  it('refuses to invite someone who is already a member, naming the email field', async () => {
    const { org, owner } = await orgWithOwner();
    const member = await createMember(org, 'MEMBER');
    const before = await orgState(org.id);
    await expect(inviteMember(owner.ctx, { email: member.user.email.toUpperCase(), role: 'ADMIN' }))
      .rejects.toMatchObject({ code: 'conflict', status: 409, issues: [{ path: 'email', message: 'already a member' }] });
    expect(await orgState(org.id)).toEqual(before);
  });

  it('revokes a pending invitation (kept for the record, shown as revoked), and refuses to revoke an accepted one', async () => {
    const { org, owner } = await orgWithOwner();
    const invitation = await inviteMember(owner.ctx, { email: 'erin@example.test', role: 'MEMBER' });
    await revokeInvitation(owner.ctx, { invitationId: invitation.id });
    expect(await systemDb().invitation.findUniqueOrThrow({ where: { id: invitation.id } })).toMatchObject({ revokedAt: expect.any(Date), acceptedAt: null });
    expect(await lastAudit(org.id)).toMatchObject({ action: 'invitation.revoked', targetId: invitation.id, before: expect.objectContaining({ email: 'erin@example.test' }) });
    expect((await listMembers(owner.ctx)).invitations).toEqual([expect.objectContaining({ id: invitation.id, status: 'revoked' })]);

    const accepted = await systemDb().invitation.create({ data: { organizationId: org.id, email: 'old@example.test', role: 'VIEWER', acceptedAt: new Date(), ...newInvitationLink(7).stored } });
    await expect(revokeInvitation(owner.ctx, { invitationId: accepted.id })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('shows the link once: the token is returned, only its hash is stored, and a resend replaces it', async () => {
    const { org, owner } = await orgWithOwner();
    await systemDb().organization.update({ where: { id: org.id }, data: { invitationExpiryDays: 3 } });
    const before = Date.now();
    const invitation = await inviteMember(owner.ctx, { email: 'fay@example.test', role: 'VIEWER' });
    expect(invitation.token).toMatch(/^bwi_/);
    expect(invitation.expiresAt.getTime() - before).toBeGreaterThanOrEqual(3 * 86_400_000 - 1000);
    expect(invitation.expiresAt.getTime() - before).toBeLessThan(3 * 86_400_000 + 60_000);
    const stored = await systemDb().invitation.findUniqueOrThrow({ where: { id: invitation.id }, select: { tokenHash: true } });
    expect(stored.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(await systemDb().invitation.findMany({ where: { organizationId: org.id } }))).not.toContain(invitation.token);

    await revokeInvitation(owner.ctx, { invitationId: invitation.id });
    const resent = await resendInvitation(owner.ctx, { invitationId: invitation.id });
    expect(resent.token).not.toBe(invitation.token);
    expect(await systemDb().invitation.findUniqueOrThrow({ where: { id: invitation.id } })).toMatchObject({ revokedAt: null });
    expect(await lastAudit(org.id)).toMatchObject({ action: 'invitation.renewed', targetId: invitation.id });
  });
});

describe('changing roles and removing members', () => {
  it('changes another member\'s role and records who did it, from what, to what', async () => {
    const { org, owner } = await orgWithOwner();
    const viewer = await createMember(org, 'VIEWER');
    const membership = await membershipOf(org, viewer.user.id);
    await changeMemberRole(owner.ctx, { membershipId: membership.id, role: 'AUDITOR' });
    expect((await membershipOf(org, viewer.user.id)).role).toBe('AUDITOR');
    expect(await lastAudit(org.id)).toMatchObject({
      action: 'membership.role_changed', actorId: owner.user.id, targetId: viewer.user.id,
      before: { email: viewer.user.email, role: 'VIEWER' }, after: { email: viewer.user.email, role: 'AUDITOR' },
    });
  });

  it.each<Role>(['OWNER', 'ADMIN'])('refuses a %s changing their own role', async (role) => {
    const { org } = await orgWithOwner();
    const self = await createMember(org, role);
    const membership = await membershipOf(org, self.user.id);
    const before = await orgState(org.id);
    await expect(changeMemberRole(self.ctx, { membershipId: membership.id, role: 'VIEWER' })).rejects.toMatchObject({ code: 'forbidden', message: expect.stringMatching(/your own role/) });
    expect(await orgState(org.id)).toEqual(before);
  });

  it('never removes the last owner, not even when the owner removes themselves', async () => {
    const { org, owner } = await orgWithOwner();
    await createMember(org, 'ADMIN');
    const membership = await membershipOf(org, owner.user.id);
    const before = await orgState(org.id);
    await expect(removeMember(owner.ctx, { membershipId: membership.id }))
      .rejects.toMatchObject({ code: 'conflict', status: 409, message: expect.stringMatching(/at least one owner/) });
    await expect(removeMember(systemContext(org.id, 'support', org.slug), { membershipId: membership.id })).rejects.toMatchObject({ code: 'conflict' });
    expect(await orgState(org.id)).toEqual(before);
  });

  it('never demotes the last owner', async () => {
    const { org, owner } = await orgWithOwner();
    const membership = await membershipOf(org, owner.user.id);
    const before = await orgState(org.id);
    // Only the platform could try: the owner may not change their own role and an admin may not touch an owner.
    await expect(changeMemberRole(systemContext(org.id, 'support', org.slug), { membershipId: membership.id, role: 'ADMIN' }))
      .rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/at least one owner/) });
    expect(await orgState(org.id)).toEqual(before);
  });

  it('lets one of two owners demote or remove the other, and then protects the one left', async () => {
    const { org, owner } = await orgWithOwner();
    const second = await createMember(org, 'OWNER');
    const secondMembership = await membershipOf(org, second.user.id);
    await changeMemberRole(owner.ctx, { membershipId: secondMembership.id, role: 'ADMIN' });
    await changeMemberRole(owner.ctx, { membershipId: secondMembership.id, role: 'OWNER' });
    await removeMember(owner.ctx, { membershipId: secondMembership.id });
    expect(await lastAudit(org.id)).toMatchObject({ action: 'membership.removed', targetId: second.user.id, before: expect.objectContaining({ role: 'OWNER' }) });
    await expect(removeMember(owner.ctx, { membershipId: (await membershipOf(org, owner.user.id)).id })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('keeps an owner when two owners demote each other at the same moment', async () => {
    const { org, owner } = await orgWithOwner();
    const other = await createMember(org, 'OWNER');
    const [mine, theirs] = [await membershipOf(org, owner.user.id), await membershipOf(org, other.user.id)];
    const results = await Promise.allSettled([
      changeMemberRole(owner.ctx, { membershipId: theirs.id, role: 'ADMIN' }),
      changeMemberRole(other.ctx, { membershipId: mine.id, role: 'ADMIN' }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'conflict' } });
    expect(await systemDb().membership.count({ where: { organizationId: org.id, role: 'OWNER' } })).toBe(1);
  });

  it('removes a member together with their team memberships', async () => {
    const { org, owner } = await orgWithOwner();
    const member = await createMember(org, 'MEMBER');
    const team = await createTeam(owner.ctx, { name: 'platform' });
    await addTeamMember(owner.ctx, { teamId: team.id, userId: member.user.id });
    await removeMember(owner.ctx, { membershipId: (await membershipOf(org, member.user.id)).id });
    expect(await systemDb().membership.count({ where: { organizationId: org.id, userId: member.user.id } })).toBe(0);
    expect(await systemDb().teamMember.count({ where: { organizationId: org.id } })).toBe(0);
    expect(await lastAudit(org.id)).toMatchObject({ action: 'membership.removed', before: { email: member.user.email, role: 'MEMBER', source: 'INVITATION', teams: 1 } });
  });
});

describe('an admin and the OWNER role', () => {
  it('cannot make anyone an owner, change an owner, remove an owner or withdraw an owner invitation', async () => {
    const { org, owner } = await orgWithOwner();
    await createMember(org, 'OWNER'); // two owners, so the last-owner rule is not what refuses
    const admin = await createMember(org, 'ADMIN');
    const member = await createMember(org, 'MEMBER');
    const ownerMembership = await membershipOf(org, owner.user.id);
    const ownerInvitation = await inviteMember(owner.ctx, { email: 'future-owner@example.test', role: 'OWNER' });
    const before = await orgState(org.id);

    const attempts: [string, () => Promise<unknown>][] = [
      ['promote to OWNER', async () => changeMemberRole(admin.ctx, { membershipId: (await membershipOf(org, member.user.id)).id, role: 'OWNER' })],
      ['demote an OWNER', () => changeMemberRole(admin.ctx, { membershipId: ownerMembership.id, role: 'ADMIN' })],
      ['remove an OWNER', () => removeMember(admin.ctx, { membershipId: ownerMembership.id })],
      ['invite an OWNER', () => inviteMember(admin.ctx, { email: 'someone@example.test', role: 'OWNER' })],
      ['downgrade an OWNER invitation', () => inviteMember(admin.ctx, { email: 'future-owner@example.test', role: 'VIEWER' })],
      ['revoke an OWNER invitation', () => revokeInvitation(admin.ctx, { invitationId: ownerInvitation.id })],
      ['resend an OWNER invitation', () => resendInvitation(admin.ctx, { invitationId: ownerInvitation.id })],
    ];
    for (const [what, attempt] of attempts) {
      await expect(attempt(), what).rejects.toMatchObject({ code: 'forbidden', status: 403, message: expect.stringMatching(/Only an owner/) });
    }
    expect(await orgState(org.id)).toEqual(before);
  });

  it('can still manage everyone below owner', async () => {
    const { org } = await orgWithOwner();
    const admin = await createMember(org, 'ADMIN');
    const viewer = await createMember(org, 'VIEWER');
    await changeMemberRole(admin.ctx, { membershipId: (await membershipOf(org, viewer.user.id)).id, role: 'ADMIN' });
    await inviteMember(admin.ctx, { email: 'new-admin@example.test', role: 'ADMIN' });
    expect((await membershipOf(org, viewer.user.id)).role).toBe('ADMIN');
  });
});

describe('roles that may not manage members', () => {
  it.each<Role>(['VIEWER', 'AUDITOR', 'MEMBER'])('a %s gets 403 on every mutation and nothing changes', async (role) => {
    const { org, owner } = await orgWithOwner();
    const actor = await createMember(org, role);
    const target = await createMember(org, 'VIEWER');
    const targetMembership = await membershipOf(org, target.user.id);
    const invitation = await inviteMember(owner.ctx, { email: 'pending@example.test', role: 'VIEWER' });
    const before = await orgState(org.id);

    const attempts: (() => Promise<unknown>)[] = [
      () => inviteMember(actor.ctx, { email: 'x@example.test', role: 'VIEWER' }),
      () => changeMemberRole(actor.ctx, { membershipId: targetMembership.id, role: 'ADMIN' }),
      () => removeMember(actor.ctx, { membershipId: targetMembership.id }),
      () => revokeInvitation(actor.ctx, { invitationId: invitation.id }),
      () => resendInvitation(actor.ctx, { invitationId: invitation.id }),
    ];
    for (const attempt of attempts) await expect(attempt()).rejects.toMatchObject({ code: 'forbidden', status: 403 });
    expect(await orgState(org.id)).toEqual(before);
  });
});

describe('across organizations', () => {
  it('an owner of org B acting on org A\'s members and invitations gets 404 and nothing changes', async () => {
    const a = await orgWithOwner('Acme Members');
    const b = await orgWithOwner('Globex Members');
    const aMember = await createMember(a.org, 'MEMBER');
    const aMembership = await membershipOf(a.org, aMember.user.id);
    const aInvitation = await inviteMember(a.owner.ctx, { email: 'acme-invitee@example.test', role: 'VIEWER' });
    const [beforeA, beforeB] = [await orgState(a.org.id), await orgState(b.org.id)];

    const asB: OrgContext = b.owner.ctx;
    const attempts: (() => Promise<unknown>)[] = [
      () => changeMemberRole(asB, { membershipId: aMembership.id, role: 'ADMIN' }),
      () => removeMember(asB, { membershipId: aMembership.id }),
      () => revokeInvitation(asB, { invitationId: aInvitation.id }),
      () => resendInvitation(asB, { invitationId: aInvitation.id }),
    ];
    for (const attempt of attempts) await expect(attempt()).rejects.toMatchObject({ code: 'not_found', status: 404 });
    expect(await orgState(a.org.id)).toEqual(beforeA);
    expect(await orgState(b.org.id)).toEqual(beforeB);
  });

  it('inviting someone who belongs to another organization is an invitation, not a conflict', async () => {
    const a = await orgWithOwner();
    const b = await orgWithOwner();
    const user = await createUser();
    await systemDb().membership.create({ data: { organizationId: b.org.id, userId: user.id, role: 'ADMIN' } });
    await expect(inviteMember(a.owner.ctx, { email: user.email, role: 'VIEWER' })).resolves.toMatchObject({ created: true });
  });
});
