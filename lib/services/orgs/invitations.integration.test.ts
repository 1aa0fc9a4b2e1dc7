import { afterAll, describe, expect, it } from 'vitest';
import { systemDb } from '../../platform/db/tenant';
import { disconnectDb } from '../../platform/db/client';
import { createMember, createOrg, createUser, uniqueSuffix } from '../../testing/factories';
import { syncUserAtSignIn } from '../identity/sign-in';
import { resolveMembership } from '../../platform/auth/membership';
import { changeMemberRole, inviteMember, listMembers, removeMember } from './members';
import { createOrganization } from './create-organization';
import { acceptInvitation, describeInvitation, describeInvitationFor, resendInvitation, revokeInvitation } from './invitations';

afterAll(() => disconnectDb());

async function orgWithOwner() {
  const org = await createOrg();
  const owner = await createMember(org, 'OWNER');
  return { org, owner };
}

/** Someone signing in for the first time through `issuer`, as the product would see them. */
async function signIn(email: string, options: { verified?: boolean | null; issuer?: string; connectionId?: string | null } = {}) {
  const verified = options.verified === undefined ? true : options.verified;
  return syncUserAtSignIn({ issuer: options.issuer ?? 'http://platform-idp.test', connectionId: options.connectionId ?? null, profile: { sub: `s-${uniqueSuffix()}`, email, email_verified: verified } });
}

async function grants(organizationId: string) {
  const db = systemDb();
  return {
    memberships: await db.membership.findMany({ where: { organizationId }, orderBy: { userId: 'asc' }, select: { userId: true, role: true } }),
    invitations: await db.invitation.findMany({ where: { organizationId }, orderBy: { email: 'asc' }, select: { email: true, acceptedAt: true, acceptedById: true } }),
  };
}

async function auditActions(organizationId: string) {
  return (await systemDb().auditLog.findMany({ where: { organizationId }, orderBy: { seq: 'asc' }, select: { action: true } })).map((a) => a.action);
}

describe('accepting an invitation link', () => {
  it('a signed-in user whose verified email matches (any case) accepts with a click, once, audited', async () => {
    const { org, owner } = await orgWithOwner();
    const invitation = await inviteMember(owner.ctx, { email: 'Dana@Example.test', role: 'AUDITOR' });
    const dana = await signIn('DANA@example.TEST');
    expect(await systemDb().membership.count({ where: { userId: dana.userId } })).toBe(0);

    expect(await describeInvitationFor(invitation.token, dana)).toMatchObject({ ok: true, role: 'AUDITOR', organization: { name: org.name, slug: org.slug } });
    await expect(acceptInvitation(invitation.token, dana)).resolves.toEqual({ organizationSlug: org.slug, role: 'AUDITOR', alreadyMember: false });
    expect((await resolveMembership(dana.userId, org.slug))?.actor).toMatchObject({ kind: 'user', role: 'AUDITOR' });
    expect(await auditActions(org.id)).toEqual(['invitation.created', 'invitation.accepted']);

    // Reused: refused, nothing more granted.
    const before = await grants(org.id);
    await expect(acceptInvitation(invitation.token, dana)).rejects.toMatchObject({ reason: 'used', code: 'conflict' });
    expect(await describeInvitation(invitation.token)).toEqual({ ok: false, reason: 'used' });
    expect(await grants(org.id)).toEqual(before);
  });

  it('refuses an unverified email (false or missing), even when the address matches', async () => {
    const { org, owner } = await orgWithOwner();
    const invitation = await inviteMember(owner.ctx, { email: 'erin@example.test', role: 'ADMIN' });
    const before = await grants(org.id);
    for (const verified of [false, null]) {
      const erin = await signIn('erin@example.test', { verified });
      expect(await describeInvitationFor(invitation.token, erin)).toEqual({ ok: false, reason: 'unverified-email' });
      await expect(acceptInvitation(invitation.token, erin)).rejects.toMatchObject({ reason: 'unverified-email', code: 'forbidden' });
    }
    expect(await grants(org.id)).toEqual(before);
  });

  it('refuses someone else\'s invitation: a verified user with another address gets nothing', async () => {
    const { org, owner } = await orgWithOwner();
    const invitation = await inviteMember(owner.ctx, { email: 'fay@example.test', role: 'ADMIN' });
    const mallory = await signIn('mallory@example.test');
    const before = await grants(org.id);
    expect(await describeInvitationFor(invitation.token, mallory)).toEqual({ ok: false, reason: 'other-address' });
    await expect(acceptInvitation(invitation.token, mallory)).rejects.toMatchObject({ reason: 'other-address' });
    // A session claiming an identity that is not the user's own proves nothing either.
    const fay = await signIn('fay@example.test');
    await expect(acceptInvitation(invitation.token, { userId: mallory.userId, identityId: fay.identityId })).rejects.toMatchObject({ reason: 'other-address' });
    expect(await grants(org.id)).toEqual(before);
  });

  it('accepts for anyone who signed in through one of the organization\'s own connections, but not another organization\'s', async () => {
    const { org, owner } = await orgWithOwner();
    const other = await createOrg();
    const own = await systemDb().ssoConnection.create({ data: { organizationId: org.id, name: 'Corp IdP', issuer: `http://corp-${uniqueSuffix()}.test`, clientId: 'c', clientSecretCiphertext: 'x', clientSecretKeyId: 'k' } });
    const foreign = await systemDb().ssoConnection.create({ data: { organizationId: other.id, name: 'Other IdP', issuer: `http://other-${uniqueSuffix()}.test`, clientId: 'c', clientSecretCiphertext: 'x', clientSecretKeyId: 'k' } });
    const invitation = await inviteMember(owner.ctx, { email: 'gus@personal.test', role: 'MEMBER' });

    const viaForeign = await signIn('someone@other.test', { verified: false, issuer: foreign.issuer, connectionId: foreign.id });
    await expect(acceptInvitation(invitation.token, viaForeign)).rejects.toMatchObject({ reason: 'other-address' });
    const viaOwn = await signIn('gus@corp.test', { verified: false, issuer: own.issuer, connectionId: own.id });
    await expect(acceptInvitation(invitation.token, viaOwn)).resolves.toMatchObject({ organizationSlug: org.slug, role: 'MEMBER' });
  });

  it('refuses an expired link, records the expiry once, and grants nothing', async () => {
    const { org, owner } = await orgWithOwner();
    const invitation = await inviteMember(owner.ctx, { email: 'hal@example.test', role: 'VIEWER' });
    const hal = await signIn('hal@example.test');
    const later = new Date(invitation.expiresAt.getTime() + 1000);
    const before = await grants(org.id);
    expect(await describeInvitationFor(invitation.token, hal, later)).toEqual({ ok: false, reason: 'expired' });
    await expect(acceptInvitation(invitation.token, hal, later)).rejects.toMatchObject({ reason: 'expired', code: 'conflict' });
    expect(await grants(org.id)).toEqual(before);
    expect(await auditActions(org.id)).toEqual(['invitation.created', 'invitation.expired']);
    // Just before the expiry it still works.
    await expect(acceptInvitation(invitation.token, hal, new Date(invitation.expiresAt.getTime() - 1000))).resolves.toMatchObject({ role: 'VIEWER' });
  });

  it('refuses a revoked link, and the old link of a resent invitation', async () => {
    const { org, owner } = await orgWithOwner();
    const invitation = await inviteMember(owner.ctx, { email: 'ivy@example.test', role: 'VIEWER' });
    const ivy = await signIn('ivy@example.test');
    await revokeInvitation(owner.ctx, { invitationId: invitation.id });
    const before = await grants(org.id);
    expect(await describeInvitation(invitation.token)).toEqual({ ok: false, reason: 'revoked' });
    await expect(acceptInvitation(invitation.token, ivy)).rejects.toMatchObject({ reason: 'revoked' });
    expect(await grants(org.id)).toEqual(before);

    const resent = await resendInvitation(owner.ctx, { invitationId: invitation.id });
    await expect(acceptInvitation(invitation.token, ivy)).rejects.toMatchObject({ reason: 'unknown', code: 'not_found' });
    await expect(acceptInvitation(resent.token, ivy)).resolves.toMatchObject({ role: 'VIEWER' });
  });

  it('an unknown or malformed token names no organization', async () => {
    for (const token of ['bwi_doesnotexist', 'not-a-token', '']) {
      expect(await describeInvitation(token)).toEqual({ ok: false, reason: 'unknown' });
    }
    const user = await signIn('jay@example.test');
    await expect(acceptInvitation('bwi_nothing', user)).rejects.toMatchObject({ reason: 'unknown', code: 'not_found' });
  });

  it('someone already a member keeps their role; the invitation is used up', async () => {
    const { org, owner } = await orgWithOwner();
    const admin = await createMember(org, 'ADMIN', `kim-${uniqueSuffix()}@example.test`);
    await systemDb().invitation.create({ data: { organizationId: org.id, email: admin.user.email, role: 'VIEWER', tokenHash: 'f'.repeat(64), expiresAt: new Date(Date.now() + 86_400_000) } });
    const resent = await resendInvitation(owner.ctx, { invitationId: (await systemDb().invitation.findFirstOrThrow({ where: { organizationId: org.id } })).id });
    const identity = await systemDb().userIdentity.findFirstOrThrow({ where: { userId: admin.user.id } });
    await expect(acceptInvitation(resent.token, { userId: admin.user.id, identityId: identity.id })).resolves.toEqual({ organizationSlug: org.slug, role: 'ADMIN', alreadyMember: true });
    expect((await resolveMembership(admin.user.id, org.slug))?.actor).toMatchObject({ role: 'ADMIN' });
  });
});

describe('access ends on the next request', () => {
  it('a removed member resolves to no organization at once; a changed role counts at once', async () => {
    const { org, owner } = await orgWithOwner();
    const member = await createMember(org, 'ADMIN');
    expect((await resolveMembership(member.user.id, org.slug))?.actor).toMatchObject({ role: 'ADMIN' });
    const membershipId = (await systemDb().membership.findFirstOrThrow({ where: { organizationId: org.id, userId: member.user.id } })).id;

    await changeMemberRole(owner.ctx, { membershipId, role: 'VIEWER' });
    expect((await resolveMembership(member.user.id, org.slug))?.actor).toMatchObject({ role: 'VIEWER' });

    await removeMember(owner.ctx, { membershipId });
    expect(await resolveMembership(member.user.id, org.slug)).toBeNull();
  });
});

describe('the members list', () => {
  it('shows how each member signs in (this organization\'s connections by name, never another organization\'s) and when they last did', async () => {
    const { org, owner } = await orgWithOwner();
    const other = await createOrg();
    const own = await systemDb().ssoConnection.create({ data: { organizationId: org.id, name: 'Acme Okta', issuer: `http://okta-${uniqueSuffix()}.test`, clientId: 'c', clientSecretCiphertext: 'x', clientSecretKeyId: 'k' } });
    const foreign = await systemDb().ssoConnection.create({ data: { organizationId: other.id, name: 'Secret Globex Entra', issuer: `http://entra-${uniqueSuffix()}.test`, clientId: 'c', clientSecretCiphertext: 'x', clientSecretKeyId: 'k' } });
    const sso = await signIn('sso@acme.test', { issuer: own.issuer, connectionId: own.id });
    const elsewhere = await signIn('elsewhere@globex.test', { issuer: foreign.issuer, connectionId: foreign.id });
    await systemDb().membership.createMany({ data: [{ organizationId: org.id, userId: sso.userId, role: 'MEMBER' }, { organizationId: org.id, userId: elsewhere.userId, role: 'VIEWER' }] });
    const never = await createUser();
    await systemDb().membership.create({ data: { organizationId: org.id, userId: never.id, role: 'VIEWER' } });

    const { members } = await listMembers(owner.ctx);
    const byUser = new Map(members.map((m) => [m.userId, m]));
    expect(byUser.get(owner.user.id)?.signInMethods).toEqual([{ kind: 'platform' }]);
    expect(byUser.get(sso.userId)).toMatchObject({ signInMethods: [{ kind: 'connection', name: 'Acme Okta' }], lastSignInAt: expect.any(Date) });
    expect(byUser.get(elsewhere.userId)?.signInMethods).toEqual([{ kind: 'other-organization' }]);
    expect(byUser.get(never.id)?.lastSignInAt).toBeNull();
    expect(JSON.stringify(members)).not.toContain('Secret Globex Entra');
  });
});

describe('a new organization for an address that someone already signed in with', () => {
  it('grants nothing to the account that asserted the address first: the owner still accepts the link with a verified address', async () => {
    const email = `victim-${uniqueSuffix()}@example.test`;
    const squatter = await signIn(email, { issuer: 'http://other-idp.test', verified: false });
    const org = await createOrganization({ name: `Founded ${uniqueSuffix()}`, ownerEmail: email });
    expect(await systemDb().membership.count({ where: { organizationId: org.id } })).toBe(0);
    await expect(acceptInvitation(org.ownerInvitationToken ?? '', squatter)).rejects.toBeTruthy();
    expect(await systemDb().membership.count({ where: { organizationId: org.id } })).toBe(0);
  });
});

describe('a new organization for someone without an account', () => {
  it('hands out an owner invitation link, which the owner accepts after signing in with that verified address', async () => {
    const email = `founder-${uniqueSuffix()}@example.test`;
    const org = await createOrganization({ name: `Founded ${uniqueSuffix()}`, ownerEmail: email });
    expect(org.ownerInvitationToken).toMatch(/^bwi_/);
    const founder = await signIn(email);
    expect(await systemDb().membership.count({ where: { organizationId: org.id } })).toBe(0);
    await acceptInvitation(org.ownerInvitationToken ?? '', founder);
    expect((await resolveMembership(founder.userId, org.slug))?.actor).toMatchObject({ role: 'OWNER' });
  });
});
