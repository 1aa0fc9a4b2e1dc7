import { afterAll, describe, expect, it } from 'vitest';
import { systemDb } from '../../platform/db/tenant';
import { disconnectDb, type Role } from '../../platform/db/client';
import { createMember, createOrg } from '../../testing/factories';
import { getOrgSettings, updateOrgSettings } from './settings';
import { inviteMember } from './members';
import type { UpdateOrgSettingsInput } from './schemas';

afterAll(() => disconnectDb());

const VALID: UpdateOrgSettingsInput = {
  name: 'Acme Corp',
  dueDays: { CRITICAL: 3, HIGH: 14, MEDIUM: 60, LOW: 120 },
  allowedRegistries: ['ghcr.io/acme/', 'registry.example.com', 'localhost:5000/team', '123456789012.dkr.ecr.eu-west-1.amazonaws.com/app'],
  autoTicketCritical: true,
  snapshotRetentionDays: 90,
};

async function orgState(organizationId: string) {
  const [org, audit] = await Promise.all([
    systemDb().organization.findUniqueOrThrow({ where: { id: organizationId } }),
    systemDb().auditLog.count({ where: { organizationId } }),
  ]);
  return { org, audit };
}

describe('organization settings', () => {
  it('reads the defaults, saves new settings and records before and after in the audit log', async () => {
    const org = await createOrg();
    const admin = await createMember(org, 'ADMIN');
    expect(await getOrgSettings(admin.ctx)).toMatchObject({ dueDays: { CRITICAL: 7, HIGH: 30, MEDIUM: 90, LOW: 180 }, allowedRegistries: [], autoTicketCritical: false, snapshotRetentionDays: 30 });

    const saved = await updateOrgSettings(admin.ctx, { ...VALID, allowedRegistries: [' GHCR.io/acme/ ', 'ghcr.io/acme/', 'registry.example.com'] });
    expect(saved).toMatchObject({ name: 'Acme Corp', dueDays: VALID.dueDays, allowedRegistries: ['ghcr.io/acme/', 'registry.example.com'], autoTicketCritical: true, snapshotRetentionDays: 90 });
    expect(await getOrgSettings(admin.ctx)).toEqual(saved);

    const audit = await systemDb().auditLog.findFirstOrThrow({ where: { organizationId: org.id }, orderBy: { seq: 'desc' } });
    expect(audit).toMatchObject({
      action: 'organization.settings_updated', actorId: admin.user.id,
      before: expect.objectContaining({ dueDays: { CRITICAL: 7, HIGH: 30, MEDIUM: 90, LOW: 180 }, snapshotRetentionDays: 30 }),
      after: expect.objectContaining({ name: 'Acme Corp', allowedRegistries: ['ghcr.io/acme/', 'registry.example.com'] }),
    });
  });

  it('keeps invitation links 7 days by default, and a saved expiry applies to the next link', async () => {
    const org = await createOrg();
    const owner = await createMember(org, 'OWNER');
    expect(await getOrgSettings(owner.ctx)).toMatchObject({ invitationExpiryDays: 7 });
    await updateOrgSettings(owner.ctx, { ...VALID, invitationExpiryDays: 2 });
    expect(await getOrgSettings(owner.ctx)).toMatchObject({ invitationExpiryDays: 2 });
    const before = Date.now();
    const invitation = await inviteMember(owner.ctx, { email: 'expiry@example.test', role: 'VIEWER' });
    expect(Math.round((invitation.expiresAt.getTime() - before) / 3_600_000)).toBe(48);
    // Left out (an older client), it stays.
    await updateOrgSettings(owner.ctx, VALID);
    expect(await getOrgSettings(owner.ctx)).toMatchObject({ invitationExpiryDays: 2 });
  });

  it.each<[string, Partial<UpdateOrgSettingsInput>, string]>([
    ['a due day of 0', { dueDays: { ...VALID.dueDays, CRITICAL: 0 } }, 'dueDays.CRITICAL'],
    ['a due day over a year', { dueDays: { ...VALID.dueDays, LOW: 366 } }, 'dueDays.LOW'],
    ['fractional due days', { dueDays: { ...VALID.dueDays, HIGH: 1.5 } }, 'dueDays.HIGH'],
    ['a retention of 0 days', { snapshotRetentionDays: 0 }, 'snapshotRetentionDays'],
    ['a retention over ten years', { snapshotRetentionDays: 3651 }, 'snapshotRetentionDays'],
    ['invitation links that never expire', { invitationExpiryDays: 0 }, 'invitationExpiryDays'],
    ['invitation links valid for a year', { invitationExpiryDays: 365 }, 'invitationExpiryDays'],
    ['a one-letter name', { name: 'A' }, 'name'],
    ['a registry with a scheme', { allowedRegistries: ['ghcr.io/acme/', 'https://ghcr.io/acme'] }, 'allowedRegistries[1]'],
    ['an image instead of a registry', { allowedRegistries: ['ghcr.io/acme/app:1.2'] }, 'allowedRegistries[0]'],
    ['a Docker Hub namespace without its host', { allowedRegistries: ['acme/'] }, 'allowedRegistries[0]'],
    ['a wildcard', { allowedRegistries: ['*.example.com'] }, 'allowedRegistries[0]'],
    ['an empty registry line', { allowedRegistries: [''] }, 'allowedRegistries[0]'],
    ['51 registries', { allowedRegistries: Array.from({ length: 51 }, (_, i) => `r${i}.example.com`) }, 'allowedRegistries'],
  ])('refuses %s, naming the field, and changes nothing', async (_case, change, path) => {
    const org = await createOrg();
    const owner = await createMember(org, 'OWNER');
    const before = await orgState(org.id);
    const error: unknown = await updateOrgSettings(owner.ctx, { ...VALID, ...change }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'invalid', status: 400, issues: [expect.objectContaining({ path })] });
    expect(await orgState(org.id)).toEqual(before);
  });

  it.each<Role>(['VIEWER', 'AUDITOR', 'MEMBER'])('a %s can read the settings but gets 403 on saving them', async (role) => {
    const org = await createOrg();
    const actor = await createMember(org, role);
    await expect(getOrgSettings(actor.ctx)).resolves.toMatchObject({ name: org.name });
    const before = await orgState(org.id);
    await expect(updateOrgSettings(actor.ctx, VALID)).rejects.toMatchObject({ code: 'forbidden', status: 403 });
    expect(await orgState(org.id)).toEqual(before);
  });

  it('an admin of org B only ever reads and writes org B', async () => {
    const a = await createOrg('Acme Settings');
    const b = await createOrg('Globex Settings');
    const bAdmin = await createMember(b, 'ADMIN');
    const beforeA = await orgState(a.id);
    await updateOrgSettings(bAdmin.ctx, VALID);
    expect((await getOrgSettings(bAdmin.ctx)).slug).toBe(b.slug);
    expect(await orgState(a.id)).toEqual(beforeA);
    expect((await systemDb().organization.findUniqueOrThrow({ where: { id: b.id } })).name).toBe('Acme Corp');
  });
});
