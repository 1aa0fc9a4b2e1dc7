import { afterAll, describe, expect, it } from 'vitest';
import { systemDb } from '../../platform/db/tenant';
import { disconnectDb, type Role } from '../../platform/db/client';
import { createMember, createOrg } from '../../testing/factories';
import { createTestConnection } from '../../testing/sso';
import { syncUserAtSignIn } from '../identity/sign-in';
import { syncGroupMemberships } from '../identity/group-sync';
import { deleteGroupMapping, listGroupMappings, setGroupMapping } from './idp-groups';

afterAll(() => disconnectDb());

async function orgState(organizationId: string) {
  const [mappings, audit] = await Promise.all([
    systemDb().idpGroupMapping.findMany({ where: { organizationId }, orderBy: { group: 'asc' }, select: { id: true, group: true, role: true, connectionId: true } }),
    systemDb().auditLog.count({ where: { organizationId } }),
  ]);
  return { mappings, audit };
}

async function lastAudit(organizationId: string) {
  return systemDb().auditLog.findFirstOrThrow({ where: { organizationId }, orderBy: { seq: 'desc' } });
}

describe('IdP group mappings', () => {
  it('maps a group, changes its role, deletes it, with an audit entry each time', async () => {
    const org = await createOrg();
    const admin = await createMember(org, 'ADMIN');
    const { id: connectionId } = await createTestConnection(org);
    const created = await setGroupMapping(admin.ctx, { connectionId, group: ' k8s-Auditors ', role: 'VIEWER' });
    expect(created).toMatchObject({ group: 'k8s-Auditors', role: 'VIEWER' });
    expect(await lastAudit(org.id)).toMatchObject({ action: 'idp_group_mapping.set', before: null, after: { group: 'k8s-Auditors', role: 'VIEWER' } });

    const changed = await setGroupMapping(admin.ctx, { connectionId, group: 'k8s-Auditors', role: 'AUDITOR' });
    expect(changed.id).toBe(created.id);
    expect(await lastAudit(org.id)).toMatchObject({ action: 'idp_group_mapping.set', before: { role: 'VIEWER' }, after: { role: 'AUDITOR' } });
    expect(await listGroupMappings(admin.ctx)).toEqual([{ id: created.id, group: 'k8s-Auditors', role: 'AUDITOR', connectionId, connection: { name: expect.any(String) } }]);

    await deleteGroupMapping(admin.ctx, { mappingId: created.id });
    expect(await lastAudit(org.id)).toMatchObject({ action: 'idp_group_mapping.deleted', targetId: created.id });
    expect(await listGroupMappings(admin.ctx)).toEqual([]);
  });

  it('grants the mapped role at the next sign-in through that connection of someone in the group', async () => {
    const org = await createOrg();
    const owner = await createMember(org, 'OWNER');
    const connection = await createTestConnection(org);
    await setGroupMapping(owner.ctx, { connectionId: connection.id, group: 'sre', role: 'MEMBER' });
    const { userId } = await syncUserAtSignIn({ issuer: connection.issuer, connectionId: connection.id, profile: { sub: 'u1', email: 'sre-person@example.test', groups: ['sre'] } });
    expect(await systemDb().membership.findFirst({ where: { organizationId: org.id, userId } })).toMatchObject({ role: 'MEMBER', source: 'IDP_GROUP' });
  });

  it('a group of the same name from the platform IdP or from another connection grants nothing', async () => {
    const acme = await createOrg('Acme Cross');
    const other = await createOrg('Other Cross');
    const owner = await createMember(acme, 'OWNER');
    const acmeIdp = await createTestConnection(acme);
    const otherIdp = await createTestConnection(other);
    await setGroupMapping(owner.ctx, { connectionId: acmeIdp.id, group: 'acme-admins', role: 'ADMIN' });
    const platform = await syncUserAtSignIn({ issuer: 'http://platform.test', connectionId: null, profile: { sub: 'p1', email: 'p1@platform.test', email_verified: true, groups: ['acme-admins'] } });
    const foreign = await syncUserAtSignIn({ issuer: otherIdp.issuer, connectionId: otherIdp.id, profile: { sub: 'o1', email: 'o1@other.test', email_verified: true, groups: ['acme-admins'] } });
    expect(await systemDb().membership.count({ where: { organizationId: acme.id, userId: { in: [platform.userId, foreign.userId] } } })).toBe(0);
  });

  it('refuses a mapping on another organization\'s connection with 404, and writes nothing', async () => {
    const a = await createOrg('Acme Conn');
    const b = await createOrg('Globex Conn');
    const bAdmin = await createMember(b, 'ADMIN');
    const aConnection = await createTestConnection(a);
    const beforeA = await orgState(a.id);
    const beforeB = await orgState(b.id);
    await expect(setGroupMapping(bAdmin.ctx, { connectionId: aConnection.id, group: 'admins', role: 'ADMIN' })).rejects.toMatchObject({ code: 'not_found', status: 404 });
    expect(await orgState(a.id)).toEqual(beforeA);
    expect(await orgState(b.id)).toEqual(beforeB);
  });

  it('a later sign-in through the platform IdP leaves a membership granted by a connection\'s group alone', async () => {
    const org = await createOrg();
    const owner = await createMember(org, 'OWNER');
    const connection = await createTestConnection(org);
    await setGroupMapping(owner.ctx, { connectionId: connection.id, group: 'sre', role: 'MEMBER' });
    const { userId } = await syncUserAtSignIn({ issuer: connection.issuer, connectionId: connection.id, profile: { sub: 'kept', email: 'kept@example.test', groups: ['sre'] } });
    await syncGroupMemberships({ userId, email: 'kept@example.test', connectionId: null, groups: [] });
    expect(await systemDb().membership.findFirst({ where: { organizationId: org.id, userId } })).toMatchObject({ role: 'MEMBER' });
    // Through the connection without the group: the membership that came from it goes.
    await syncUserAtSignIn({ issuer: connection.issuer, connectionId: connection.id, profile: { sub: 'kept', email: 'kept@example.test', groups: [] } });
    expect(await systemDb().membership.findFirst({ where: { organizationId: org.id, userId } })).toBeNull();
  });

  it('never downgrades an invited member or a direct grant when the group maps to a lower role', async () => {
    const org = await createOrg();
    const owner = await createMember(org, 'OWNER');
    const connection = await createTestConnection(org);
    await setGroupMapping(owner.ctx, { connectionId: connection.id, group: 'everyone', role: 'VIEWER' });
    const first = await syncUserAtSignIn({ issuer: connection.issuer, connectionId: connection.id, profile: { sub: 'direct', email: 'direct@example.test', groups: [] } });
    await systemDb().membership.create({ data: { organizationId: org.id, userId: first.userId, role: 'ADMIN', source: 'INVITATION' } });
    await syncUserAtSignIn({ issuer: connection.issuer, connectionId: connection.id, profile: { sub: 'direct', email: 'direct@example.test', groups: ['everyone'] } });
    expect(await systemDb().membership.findFirst({ where: { organizationId: org.id, userId: first.userId } })).toMatchObject({ role: 'ADMIN', source: 'INVITATION' });
  });

  it('lets only an owner create, change or delete a mapping to OWNER', async () => {
    const org = await createOrg();
    const owner = await createMember(org, 'OWNER');
    const admin = await createMember(org, 'ADMIN');
    const { id: connectionId } = await createTestConnection(org);
    const ownersGroup = await setGroupMapping(owner.ctx, { connectionId, group: 'founders', role: 'OWNER' });
    const before = await orgState(org.id);
    const attempts: (() => Promise<unknown>)[] = [
      () => setGroupMapping(admin.ctx, { connectionId, group: 'admins-wish', role: 'OWNER' }),
      () => setGroupMapping(admin.ctx, { connectionId, group: 'founders', role: 'VIEWER' }),
      () => deleteGroupMapping(admin.ctx, { mappingId: ownersGroup.id }),
    ];
    for (const attempt of attempts) await expect(attempt()).rejects.toMatchObject({ code: 'forbidden', message: expect.stringMatching(/Only an owner/) });
    expect(await orgState(org.id)).toEqual(before);
  });

  it('refuses an empty group name, naming the field', async () => {
    const org = await createOrg();
    const admin = await createMember(org, 'ADMIN');
    const { id: connectionId } = await createTestConnection(org);
    await expect(setGroupMapping(admin.ctx, { connectionId, group: '   ', role: 'VIEWER' })).rejects.toMatchObject({ code: 'invalid', issues: [expect.objectContaining({ path: 'group' })] });
  });

  it.each<Role>(['VIEWER', 'AUDITOR', 'MEMBER'])('a %s gets 403 on listing and every mutation, and nothing changes', async (role) => {
    const org = await createOrg();
    const admin = await createMember(org, 'ADMIN');
    const actor = await createMember(org, role);
    const { id: connectionId } = await createTestConnection(org);
    const mapping = await setGroupMapping(admin.ctx, { connectionId, group: 'devs', role: 'MEMBER' });
    const before = await orgState(org.id);
    const attempts: (() => Promise<unknown>)[] = [
      () => listGroupMappings(actor.ctx),
      () => setGroupMapping(actor.ctx, { connectionId, group: 'devs', role: 'ADMIN' }),
      () => setGroupMapping(actor.ctx, { connectionId, group: 'other', role: 'VIEWER' }),
      () => deleteGroupMapping(actor.ctx, { mappingId: mapping.id }),
    ];
    for (const attempt of attempts) await expect(attempt()).rejects.toMatchObject({ code: 'forbidden', status: 403 });
    expect(await orgState(org.id)).toEqual(before);
  });

  it('an admin of org B deleting org A\'s mapping gets 404; mapping the same group name in B leaves A alone', async () => {
    const a = await createOrg('Acme Groups');
    const b = await createOrg('Globex Groups');
    const aAdmin = await createMember(a, 'ADMIN');
    const bAdmin = await createMember(b, 'ADMIN');
    const aConnection = await createTestConnection(a);
    const bConnection = await createTestConnection(b);
    const aMapping = await setGroupMapping(aAdmin.ctx, { connectionId: aConnection.id, group: 'platform', role: 'ADMIN' });
    const beforeA = await orgState(a.id);
    const beforeB = await orgState(b.id);
    await expect(deleteGroupMapping(bAdmin.ctx, { mappingId: aMapping.id })).rejects.toMatchObject({ code: 'not_found', status: 404 });
    expect(await orgState(b.id)).toEqual(beforeB);
    const bMapping = await setGroupMapping(bAdmin.ctx, { connectionId: bConnection.id, group: 'platform', role: 'VIEWER' });
    expect(bMapping.id).not.toBe(aMapping.id);
    expect(await orgState(a.id)).toEqual(beforeA);
  });
});
