import { afterAll, describe, expect, it } from 'vitest';
import { systemDb } from '../../platform/db/tenant';
import { disconnectDb } from '../../platform/db/client';
import { createMember, createOrg, createUser, uniqueSuffix } from '../../testing/factories';
import { env } from '../../platform/env';
import { devSubjectForEmail } from '../../testing/identities';
import { syncUserAtSignIn, type OidcProfile } from './sign-in';
import { listIdentities, startIdentityLink, unlinkIdentity } from './identities';
import { endAllSessions, isSessionCurrent, SESSION_CHECK_TTL_MS } from '../../platform/auth/session-version';
import { inviteMember } from '../orgs/members';

afterAll(() => disconnectDb());

/** An organization's own OIDC connection, written directly (the SSO settings service validates discovery). */
async function connectionOf(org: { id: string }, issuer = `http://idp-${uniqueSuffix()}.test`) {
  return systemDb().ssoConnection.create({
    data: { organizationId: org.id, name: `IdP ${uniqueSuffix()}`, issuer, clientId: 'bulwark', clientSecretCiphertext: 'not-a-real-ciphertext', clientSecretKeyId: 'test' },
  });
}

async function verifiedDomain(org: { id: string }, domain: string, verified = true) {
  return systemDb().verifiedDomain.create({ data: { organizationId: org.id, domain, verificationToken: uniqueSuffix(), verifiedAt: verified ? new Date() : null } });
}

function profile(email: string, extra: Partial<OidcProfile> = {}): OidcProfile {
  return { sub: `sub-${uniqueSuffix()}`, email, ...extra };
}

async function userState(userId: string) {
  const db = systemDb();
  return {
    user: await db.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true, name: true, sessionVersion: true } }),
    identities: await db.userIdentity.findMany({ where: { userId }, orderBy: { createdAt: 'asc' }, select: { issuer: true, subject: true } }),
    memberships: await db.membership.findMany({ where: { userId }, orderBy: { organizationId: 'asc' }, select: { organizationId: true, role: true } }),
  };
}

describe('an identity that asserts someone else\'s email', () => {
  it('IdP B asserting the address of A\'s owner gets a separate user with no memberships, and A\'s user is unchanged', async () => {
    const org = await createOrg();
    const owner = await createMember(org, 'OWNER', `owner-${uniqueSuffix()}@victim.test`);
    const before = await userState(owner.user.id);
    const otherOrg = await createOrg();
    const idpB = await connectionOf(otherOrg);

    const attacker = await syncUserAtSignIn({ issuer: idpB.issuer, connectionId: idpB.id, profile: profile(owner.user.email.toUpperCase(), { email_verified: true }) });
    expect(attacker.userId).not.toBe(owner.user.id);
    expect(await systemDb().membership.count({ where: { userId: attacker.userId } })).toBe(0);
    expect(await userState(owner.user.id)).toEqual(before);

    // The platform IdP under another subject is no different.
    const platform = await syncUserAtSignIn({ issuer: env().OIDC_ISSUER, connectionId: null, profile: profile(owner.user.email, { email_verified: true }) });
    expect(platform.userId).not.toBe(owner.user.id);
    expect(await userState(owner.user.id)).toEqual(before);
  });

  it('signs a known (issuer, subject) in as its own user, whatever address it now asserts', async () => {
    const user = await createUser();
    const again = await syncUserAtSignIn({ issuer: env().OIDC_ISSUER, connectionId: null, profile: { sub: devSubjectForEmail(user.email), email: 'changed@example.test', email_verified: true } });
    expect(again.userId).toBe(user.id);
  });
});

describe('pending invitations at sign-in', () => {
  it('grant nothing by themselves, verified address or not', async () => {
    const org = await createOrg();
    const owner = await createMember(org, 'OWNER');
    const email = `invitee-${uniqueSuffix()}@example.test`;
    await inviteMember(owner.ctx, { email, role: 'ADMIN' });
    for (const email_verified of [true, false, undefined]) {
      const signedIn = await syncUserAtSignIn({ issuer: env().OIDC_ISSUER, connectionId: null, profile: profile(email, { email_verified }) });
      expect(await systemDb().membership.count({ where: { userId: signedIn.userId } })).toBe(0);
    }
    expect(await systemDb().invitation.findFirstOrThrow({ where: { organizationId: org.id, email } })).toMatchObject({ acceptedAt: null, acceptedById: null });
  });
});

describe('linking by a verified domain', () => {
  async function setup() {
    const org = await createOrg();
    const domain = `corp-${uniqueSuffix()}.test`;
    const existing = await createMember(org, 'MEMBER', `dana@${domain}`);
    const connection = await connectionOf(org);
    await verifiedDomain(org, domain);
    return { org, domain, existing, connection };
  }

  it('links a verified email at the organization\'s verified domain, through its own connection, to the existing user, audited', async () => {
    const { org, existing, connection } = await setup();
    const signedIn = await syncUserAtSignIn({ issuer: connection.issuer, connectionId: connection.id, profile: profile(existing.user.email.toUpperCase(), { email_verified: true }) });
    expect(signedIn.userId).toBe(existing.user.id);
    expect((await listIdentities(existing.user.id)).map((i) => i.connection?.id ?? null)).toEqual([null, connection.id]);
    const audit = await systemDb().auditLog.findFirstOrThrow({ where: { organizationId: org.id }, orderBy: { seq: 'desc' } });
    expect(audit).toMatchObject({ action: 'identity.linked', actorType: 'system', targetId: existing.user.id, after: expect.objectContaining({ linkedBy: 'verified-domain', connectionId: connection.id }) });
  });

  it('does not link when email_verified is false or missing', async () => {
    const { existing, connection } = await setup();
    for (const email_verified of [false, undefined, null]) {
      const signedIn = await syncUserAtSignIn({ issuer: connection.issuer, connectionId: connection.id, profile: profile(existing.user.email, { email_verified }) });
      expect(signedIn.userId).not.toBe(existing.user.id);
    }
    expect(await listIdentities(existing.user.id)).toHaveLength(1);
  });

  it('does not link through the platform IdP, another organization\'s connection, or before the domain is verified', async () => {
    const { existing } = await setup();
    const platform = await syncUserAtSignIn({ issuer: env().OIDC_ISSUER, connectionId: null, profile: profile(existing.user.email, { email_verified: true }) });
    const otherOrg = await createOrg();
    const foreign = await connectionOf(otherOrg);
    const viaForeign = await syncUserAtSignIn({ issuer: foreign.issuer, connectionId: foreign.id, profile: profile(existing.user.email, { email_verified: true }) });
    expect([platform.userId, viaForeign.userId]).not.toContain(existing.user.id);

    const pendingOrg = await createOrg();
    const domain = `pending-${uniqueSuffix()}.test`;
    const pendingUser = await createMember(pendingOrg, 'MEMBER', `erin@${domain}`);
    const pendingConnection = await connectionOf(pendingOrg);
    await verifiedDomain(pendingOrg, domain, false);
    const viaPending = await syncUserAtSignIn({ issuer: pendingConnection.issuer, connectionId: pendingConnection.id, profile: profile(pendingUser.user.email, { email_verified: true }) });
    expect(viaPending.userId).not.toBe(pendingUser.user.id);
    expect(await listIdentities(existing.user.id)).toHaveLength(1);
    expect(await listIdentities(pendingUser.user.id)).toHaveLength(1);
  });

  it('does not link when the domain is verified by another organization than the connection\'s', async () => {
    const { domain, existing } = await setup();
    const otherOrg = await createOrg();
    const otherConnection = await connectionOf(otherOrg);
    // The other org claims a different domain; the address's domain belongs to the first org only.
    await verifiedDomain(otherOrg, `other-${uniqueSuffix()}.test`);
    const signedIn = await syncUserAtSignIn({ issuer: otherConnection.issuer, connectionId: otherConnection.id, profile: profile(`dana@${domain}`, { email_verified: true }) });
    expect(signedIn.userId).not.toBe(existing.user.id);
  });
});

describe('Link another sign-in', () => {
  it('attaches the next sign-in to the user who started it, audited in each of their organizations', async () => {
    const org = await createOrg();
    const member = await createMember(org, 'AUDITOR');
    const { token } = await startIdentityLink(member.user.id);
    const other = await connectionOf(await createOrg());
    const linked = await syncUserAtSignIn({ issuer: other.issuer, connectionId: other.id, profile: profile(`someone-else-${uniqueSuffix()}@example.test`), linkToken: token });
    expect(linked.userId).toBe(member.user.id);
    expect(await listIdentities(member.user.id)).toHaveLength(2);
    expect(await systemDb().auditLog.findFirstOrThrow({ where: { organizationId: org.id }, orderBy: { seq: 'desc' } }))
      .toMatchObject({ action: 'identity.linked', actorType: 'user', actorId: member.user.id, after: expect.objectContaining({ linkedBy: 'explicit', issuer: other.issuer }) });
  });

  it('is single use and expires: a reused or late link token makes no link', async () => {
    const user = await createUser();
    const { token } = await startIdentityLink(user.id);
    await syncUserAtSignIn({ issuer: 'http://first.test', connectionId: null, profile: profile('a@example.test'), linkToken: token });
    const reused = await syncUserAtSignIn({ issuer: 'http://second.test', connectionId: null, profile: profile('b@example.test'), linkToken: token });
    expect(reused.userId).not.toBe(user.id);

    const late = await startIdentityLink(user.id, new Date(Date.now() - 11 * 60_000));
    const afterExpiry = await syncUserAtSignIn({ issuer: 'http://third.test', connectionId: null, profile: profile('c@example.test'), linkToken: late.token });
    expect(afterExpiry.userId).not.toBe(user.id);
    expect(await listIdentities(user.id)).toHaveLength(2);
  });

  it('refuses to take an identity that belongs to another user, and changes nothing', async () => {
    const mine = await createUser();
    const theirs = await createUser();
    const before = { mine: await userState(mine.id), theirs: await userState(theirs.id) };
    const { token } = await startIdentityLink(mine.id);
    await expect(syncUserAtSignIn({ issuer: env().OIDC_ISSUER, connectionId: null, profile: { sub: devSubjectForEmail(theirs.email), email: theirs.email, email_verified: true }, linkToken: token }))
      .rejects.toMatchObject({ code: 'conflict' });
    expect({ mine: await userState(mine.id), theirs: await userState(theirs.id) }).toEqual(before);
  });
});

describe('unlinking and session versions', () => {
  it('unlinking a sign-in ends every session of the user (session version bumped), audited', async () => {
    const org = await createOrg();
    const member = await createMember(org, 'MEMBER');
    const first = await syncUserAtSignIn({ issuer: env().OIDC_ISSUER, connectionId: null, profile: { sub: devSubjectForEmail(member.user.email), email: member.user.email, email_verified: true } });
    const { token } = await startIdentityLink(member.user.id);
    const second = await syncUserAtSignIn({ issuer: 'http://another-idp.test', connectionId: null, profile: profile(member.user.email), linkToken: token });
    expect(await isSessionCurrent(first)).toBe(true);
    expect(await isSessionCurrent(second)).toBe(true);

    await unlinkIdentity(member.user.id, second.identityId);
    expect(await isSessionCurrent(second)).toBe(false);
    expect(await isSessionCurrent(first)).toBe(false);
    expect((await userState(member.user.id)).user.sessionVersion).toBe(first.sessionVersion + 1);
    expect(await systemDb().auditLog.findFirstOrThrow({ where: { organizationId: org.id }, orderBy: { seq: 'desc' } }))
      .toMatchObject({ action: 'identity.unlinked', actorId: member.user.id, before: expect.objectContaining({ identityId: second.identityId, issuer: 'http://another-idp.test' }) });

    // A new sign-in carries the new version.
    const again = await syncUserAtSignIn({ issuer: env().OIDC_ISSUER, connectionId: null, profile: { sub: devSubjectForEmail(member.user.email), email: member.user.email, email_verified: true } });
    expect(again.sessionVersion).toBe(first.sessionVersion + 1);
    expect(await isSessionCurrent(again)).toBe(true);
  });

  it('never unlinks the last sign-in, nor someone else\'s', async () => {
    const user = await createUser();
    const other = await createUser();
    const [only] = await listIdentities(user.id);
    await expect(unlinkIdentity(user.id, only?.id ?? '')).rejects.toMatchObject({ code: 'conflict' });
    const [theirs] = await listIdentities(other.id);
    await expect(unlinkIdentity(user.id, theirs?.id ?? '')).rejects.toMatchObject({ code: 'not_found' });
    expect(await listIdentities(user.id)).toHaveLength(1);
    expect(await listIdentities(other.id)).toHaveLength(1);
  });

  it('another process\'s change is seen once the few-second cache of a check runs out; endAllSessions counts at once', async () => {
    const user = await createUser();
    const [identity] = await listIdentities(user.id);
    const claims = { userId: user.id, identityId: identity?.id ?? '', sessionVersion: 0 };
    const t0 = 1_000_000_000_000;
    expect(await isSessionCurrent(claims, t0)).toBe(true);
    // As another web process would: the row changes, this process's cache does not hear of it.
    await systemDb().user.update({ where: { id: user.id }, data: { sessionVersion: 1 } });
    expect(await isSessionCurrent(claims, t0 + SESSION_CHECK_TTL_MS - 1)).toBe(true);
    expect(await isSessionCurrent(claims, t0 + SESSION_CHECK_TTL_MS)).toBe(false);

    const fresh = { ...claims, sessionVersion: 1 };
    expect(await isSessionCurrent(fresh, t0)).toBe(true);
    await endAllSessions(user.id);
    expect(await isSessionCurrent(fresh, t0)).toBe(false);
  });

  it('a session whose identity was moved to nobody or claims another user is not current', async () => {
    const user = await createUser();
    const other = await createUser();
    const [identity] = await listIdentities(user.id);
    expect(await isSessionCurrent({ userId: other.id, identityId: identity?.id ?? '', sessionVersion: 0 })).toBe(false);
    expect(await isSessionCurrent({ userId: user.id, identityId: identity?.id ?? '', sessionVersion: 1 })).toBe(false);
    expect(await isSessionCurrent({ userId: user.id, identityId: identity?.id ?? '', sessionVersion: 0 })).toBe(true);
  });
});
