import { afterAll, describe, expect, it } from 'vitest';
import { systemDb } from '../../platform/db/tenant';
import { disconnectDb } from '../../platform/db/client';
import { resolveSessionMembership } from '../../platform/auth/membership';
import { createMember, createOrg, uniqueSuffix } from '../../testing/factories';
import { createTestConnection } from '../../testing/sso';
import { invalidateSsoConnectionCache } from './connection-cache';
import { setSsoConnectionEnabled } from './connections';
import { getSsoEnforcement, setSsoEnforcement } from './enforcement';
import { findSignInRoute } from './realm';
import { ssoProviderId } from './schemas';
import { authOptionsForRequest } from '../../web/auth';

afterAll(() => disconnectDb());

const PLATFORM = { id: 'oidc', name: 'Platform IdP' };

async function verifiedDomain(org: { id: string }, connectionId: string | null, verified = true) {
  const domain = `sso-${uniqueSuffix()}.example`;
  await systemDb().verifiedDomain.create({ data: { organizationId: org.id, domain, verificationToken: 't', verifiedAt: verified ? new Date() : null, connectionId } });
  return domain;
}

describe('SSO enforcement', () => {
  it('needs an enabled connection and a break-glass owner; the change is audited', async () => {
    const org = await createOrg();
    const owner = await createMember(org, 'OWNER');
    const admin = await createMember(org, 'ADMIN');
    await expect(setSsoEnforcement(owner.ctx, { enforced: true, breakGlassUserId: owner.user.id })).rejects.toMatchObject({ code: 'conflict', message: /Add and enable an SSO connection/ });
    await createTestConnection(org);
    await expect(setSsoEnforcement(owner.ctx, { enforced: true, breakGlassUserId: null })).rejects.toMatchObject({ code: 'invalid', issues: [expect.objectContaining({ path: 'breakGlassUserId' })] });
    await expect(setSsoEnforcement(owner.ctx, { enforced: true, breakGlassUserId: admin.user.id })).rejects.toMatchObject({ code: 'invalid', message: /must be an owner/ });
    await expect(setSsoEnforcement(admin.ctx, { enforced: true, breakGlassUserId: owner.user.id })).rejects.toMatchObject({ code: 'forbidden' });
    await setSsoEnforcement(owner.ctx, { enforced: true, breakGlassUserId: owner.user.id });
    expect(await getSsoEnforcement(owner.ctx)).toMatchObject({ enforced: true, breakGlassUserId: owner.user.id, enabledConnections: 1 });
    expect(await systemDb().auditLog.findFirst({ where: { organizationId: org.id, action: 'sso.enforcement_changed' } })).toMatchObject({ after: { ssoEnforced: true, ssoBreakGlassUserId: owner.user.id } });
  });

  it('lets members in only with a session from the organization\'s own enabled connection, except the break-glass owner', async () => {
    const acme = await createOrg();
    const other = await createOrg();
    const owner = await createMember(acme, 'OWNER');
    const member = await createMember(acme, 'MEMBER');
    const outsider = await createMember(other, 'OWNER');
    const acmeIdp = await createTestConnection(acme, { name: 'Acme IdP' });
    const otherIdp = await createTestConnection(other);
    const slug = acme.slug;
    // Off: any session of a member.
    expect(await resolveSessionMembership({ userId: member.user.id, connectionId: null }, slug)).toMatchObject({ kind: 'member' });
    await setSsoEnforcement(owner.ctx, { enforced: true, breakGlassUserId: owner.user.id });

    expect(await resolveSessionMembership({ userId: member.user.id, connectionId: null }, slug)).toEqual({ kind: 'sso_required', organizationName: acme.name, connections: [{ id: acmeIdp.id, name: 'Acme IdP' }] });
    expect(await resolveSessionMembership({ userId: member.user.id, connectionId: otherIdp.id }, slug)).toMatchObject({ kind: 'sso_required' });
    expect(await resolveSessionMembership({ userId: member.user.id, connectionId: acmeIdp.id }, slug)).toMatchObject({ kind: 'member', ctx: { organizationId: acme.id } });
    expect(await resolveSessionMembership({ userId: owner.user.id, connectionId: null }, slug)).toMatchObject({ kind: 'member' });
    // A non-member learns nothing about the organization's policy.
    expect(await resolveSessionMembership({ userId: outsider.user.id, connectionId: acmeIdp.id }, slug)).toEqual({ kind: 'not_found' });

    // A second, disabled connection does not count.
    const disabled = await createTestConnection(acme);
    await setSsoConnectionEnabled(owner.ctx, { connectionId: disabled.id, enabled: false });
    expect(await resolveSessionMembership({ userId: member.user.id, connectionId: disabled.id }, slug)).toMatchObject({ kind: 'sso_required' });
  });
});

describe('home realm discovery', () => {
  it('sends a verified domain with an enabled connection to that IdP, anything else to the platform IdP', async () => {
    const org = await createOrg('Realm Org');
    const owner = await createMember(org, 'OWNER');
    const connection = await createTestConnection(org, { name: 'Realm Okta' });
    const routed = await verifiedDomain(org, connection.id);
    const unverified = await verifiedDomain(org, connection.id, false);
    const unrouted = await verifiedDomain(org, null);
    expect(await findSignInRoute(`someone@${routed}`, PLATFORM)).toEqual({ providerId: ssoProviderId(connection.id), name: 'Realm Okta', organizationName: 'Realm Org' });
    expect(await findSignInRoute(`someone@${unverified}`, PLATFORM)).toMatchObject({ providerId: 'oidc' });
    expect(await findSignInRoute(`someone@${unrouted}`, PLATFORM)).toMatchObject({ providerId: 'oidc' });
    expect(await findSignInRoute('someone@gmail.example', PLATFORM)).toMatchObject({ providerId: 'oidc' });
    await setSsoConnectionEnabled(owner.ctx, { connectionId: connection.id, enabled: false });
    expect(await findSignInRoute(`someone@${routed}`, PLATFORM)).toMatchObject({ providerId: 'oidc' });
  });
});

describe('next-auth providers per request', () => {
  it('adds the connection the path names while it is enabled, with the endpoints of its validated discovery', async () => {
    const org = await createOrg();
    const owner = await createMember(org, 'OWNER');
    const connection = await createTestConnection(org, { issuer: 'http://acme-idp.test/realms/acme', groupClaim: 'realm_access.roles' });
    const options = await authOptionsForRequest(['signin', ssoProviderId(connection.id)]);
    const provider = options.providers.find((p) => p.id === ssoProviderId(connection.id));
    expect(provider).toMatchObject({ name: connection.name });
    expect(provider).toMatchObject({ issuer: 'http://acme-idp.test/realms/acme', token: 'http://acme-idp.test/realms/acme/token', jwks_endpoint: 'http://acme-idp.test/realms/acme/jwks' });
    expect((await authOptionsForRequest(['signin', 'oidc'])).providers.map((p) => p.id)).not.toContain(ssoProviderId(connection.id));

    await setSsoConnectionEnabled(owner.ctx, { connectionId: connection.id, enabled: false });
    invalidateSsoConnectionCache();
    expect((await authOptionsForRequest(['callback', ssoProviderId(connection.id)])).providers.map((p) => p.id)).not.toContain(ssoProviderId(connection.id));
  });
});
