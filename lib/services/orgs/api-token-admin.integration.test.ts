import { afterAll, describe, expect, it } from 'vitest';
import { systemDb } from '../../platform/db/tenant';
import { disconnectDb, type Role } from '../../platform/db/client';
import { createMember, createOrg } from '../../testing/factories';
import { createApiToken } from './api-tokens';
import { resolveApiToken } from '../../platform/auth/api-token-context';
import { listApiTokens, revokeApiToken } from './api-token-admin';

afterAll(() => disconnectDb());

async function orgState(organizationId: string) {
  const [tokens, audit] = await Promise.all([
    systemDb().apiToken.findMany({ where: { organizationId }, orderBy: { id: 'asc' }, select: { id: true, revokedAt: true } }),
    systemDb().auditLog.count({ where: { organizationId } }),
  ]);
  return { tokens, audit };
}

describe('API token administration', () => {
  it('lists tokens by prefix and role without their hash, and revokes one so it stops working', async () => {
    const org = await createOrg();
    const admin = await createMember(org, 'ADMIN');
    const created = await createApiToken(admin.ctx, { name: 'ci', role: 'VIEWER' });

    const [listed] = await listApiTokens(admin.ctx);
    expect(listed).toMatchObject({ id: created.id, name: 'ci', prefix: created.prefix, role: 'VIEWER', lastUsedAt: null, revokedAt: null });
    expect(Object.keys(listed ?? {})).not.toContain('tokenHash');
    expect(JSON.stringify(listed)).not.toContain(created.token.slice(12));

    await expect(resolveApiToken(`Bearer ${created.token}`, org.slug)).resolves.toMatchObject({ actor: { kind: 'apiToken', tokenId: created.id } });
    const revoked = await revokeApiToken(admin.ctx, { tokenId: created.id });
    expect(revoked.revokedAt).toBeInstanceOf(Date);
    await expect(resolveApiToken(`Bearer ${created.token}`, org.slug)).rejects.toMatchObject({ code: 'unauthenticated' });
    expect(await systemDb().auditLog.findFirstOrThrow({ where: { organizationId: org.id }, orderBy: { seq: 'desc' } }))
      .toMatchObject({ action: 'api_token.revoked', targetId: created.id, before: { name: 'ci', prefix: created.prefix, role: 'VIEWER' } });

    // Revoking again changes nothing and records nothing.
    const before = await orgState(org.id);
    await expect(revokeApiToken(admin.ctx, { tokenId: created.id })).resolves.toMatchObject({ revokedAt: revoked.revokedAt });
    expect(await orgState(org.id)).toEqual(before);
  });

  it.each<Role>(['VIEWER', 'AUDITOR', 'MEMBER'])('a %s gets 403 on listing, creating and revoking, and nothing changes', async (role) => {
    const org = await createOrg();
    const owner = await createMember(org, 'OWNER');
    const actor = await createMember(org, role);
    const token = await createApiToken(owner.ctx, { name: 'ci', role: 'VIEWER' });
    const before = await orgState(org.id);
    const attempts: (() => Promise<unknown>)[] = [
      () => listApiTokens(actor.ctx),
      () => createApiToken(actor.ctx, { name: 'mine', role: 'VIEWER' }),
      () => revokeApiToken(actor.ctx, { tokenId: token.id }),
    ];
    for (const attempt of attempts) await expect(attempt()).rejects.toMatchObject({ code: 'forbidden', status: 403 });
    expect(await orgState(org.id)).toEqual(before);
  });

  it('an admin of org B revoking org A\'s token gets 404 and the token keeps working', async () => {
    const a = await createOrg('Acme Tokens');
    const b = await createOrg('Globex Tokens');
    const aOwner = await createMember(a, 'OWNER');
    const bAdmin = await createMember(b, 'ADMIN');
    const token = await createApiToken(aOwner.ctx, { name: 'ci', role: 'ADMIN' });
    const [beforeA, beforeB] = [await orgState(a.id), await orgState(b.id)];
    await expect(revokeApiToken(bAdmin.ctx, { tokenId: token.id })).rejects.toMatchObject({ code: 'not_found', status: 404 });
    expect(await listApiTokens(bAdmin.ctx)).toEqual([]);
    expect(await orgState(a.id)).toEqual(beforeA);
    expect(await orgState(b.id)).toEqual(beforeB);
    await expect(resolveApiToken(`Bearer ${token.token}`, a.slug)).resolves.toMatchObject({ organizationId: a.id });
  });
});
