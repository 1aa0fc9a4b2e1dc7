import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemDb } from '../../platform/db/tenant';
import { disconnectDb, type Role } from '../../platform/db/client';
import { resetEnvForTests } from '../../platform/env';
import { createMember, createOrg, uniqueSuffix } from '../../testing/factories';
import { startTxtServer, type TxtServer } from '../../testing/dns-server';
import { createTestConnection } from '../../testing/sso';
import { claimDomain, deleteDomain, listDomains, setDomainConnection, verifyDomain } from './domains';

// A real DNS server on loopback (dns2), reached through DNS_RESOLVER like a production resolver.
const records: Record<string, string[]> = {};
let dns: TxtServer;
beforeAll(async () => {
  dns = await startTxtServer(() => records);
  process.env.DNS_RESOLVER = dns.address;
  resetEnvForTests();
});
afterAll(async () => {
  await dns.close();
  delete process.env.DNS_RESOLVER;
  resetEnvForTests();
  await disconnectDb();
});

async function orgState(organizationId: string) {
  const [domains, audit] = await Promise.all([
    systemDb().verifiedDomain.findMany({ where: { organizationId }, orderBy: { domain: 'asc' } }),
    systemDb().auditLog.count({ where: { organizationId } }),
  ]);
  return { domains, audit };
}

const freshDomain = () => `corp-${uniqueSuffix()}.example`;

describe('verified domains', () => {
  it('claims a domain, shows the TXT record, verifies it once the record is in DNS, each audited', async () => {
    const org = await createOrg();
    const owner = await createMember(org, 'OWNER');
    const domain = freshDomain();
    const claimed = await claimDomain(owner.ctx, { domain: ` ${domain.toUpperCase()}. ` });
    expect(claimed.domain).toBe(domain);
    expect(claimed.txtRecord).toMatch(/^bulwark-verification=[A-Za-z0-9_-]{24}$/);

    await expect(verifyDomain(owner.ctx, { domainId: claimed.id })).rejects.toMatchObject({ code: 'invalid', message: new RegExp(`No TXT record "${claimed.txtRecord}" at ${domain.replace('.', '\\.')}`) });
    expect((await listDomains(owner.ctx))[0]?.verifiedAt).toBeNull();

    records[domain] = ['v=spf1 -all', claimed.txtRecord];
    const verified = await verifyDomain(owner.ctx, { domainId: claimed.id });
    expect(verified.verifiedAt).toBeInstanceOf(Date);
    const actions = (await systemDb().auditLog.findMany({ where: { organizationId: org.id }, orderBy: { seq: 'asc' }, select: { action: true } })).map((a) => a.action);
    expect(actions).toEqual(['domain.claimed', 'domain.verified']);
  });

  it('a domain verified by one organization is refused to another, at claim and at verify', async () => {
    const a = await createOrg();
    const b = await createOrg();
    const aOwner = await createMember(a, 'OWNER');
    const bOwner = await createMember(b, 'OWNER');
    const domain = freshDomain();
    // Both claim before either proves it: allowed; the first proof wins.
    const aClaim = await claimDomain(aOwner.ctx, { domain });
    const bClaim = await claimDomain(bOwner.ctx, { domain });
    records[domain] = [aClaim.txtRecord, bClaim.txtRecord];
    await verifyDomain(aOwner.ctx, { domainId: aClaim.id });
    const before = await orgState(b.id);
    await expect(verifyDomain(bOwner.ctx, { domainId: bClaim.id })).rejects.toMatchObject({ code: 'conflict', message: /already verified by another organization/ });
    const c = await createOrg();
    const cOwner = await createMember(c, 'OWNER');
    await expect(claimDomain(cOwner.ctx, { domain })).rejects.toMatchObject({ code: 'conflict', issues: [expect.objectContaining({ path: 'domain' })] });
    expect(await orgState(b.id)).toEqual(before);
    expect(await systemDb().verifiedDomain.count({ where: { organizationId: c.id } })).toBe(0);
  });

  it.each(['', 'com', 'https://example.com', 'me@example.com', '*.example.com', 'exa mple.com', '1.2.3.4'])('refuses the domain "%s" with a clear error', async (domain) => {
    const org = await createOrg();
    const owner = await createMember(org, 'OWNER');
    await expect(claimDomain(owner.ctx, { domain })).rejects.toMatchObject({ code: 'invalid', issues: [expect.objectContaining({ path: 'domain' })] });
    expect(await systemDb().verifiedDomain.count({ where: { organizationId: org.id } })).toBe(0);
  });

  it('routes a domain to one of the organization\'s own connections only', async () => {
    const a = await createOrg();
    const b = await createOrg();
    const aOwner = await createMember(a, 'OWNER');
    const aConnection = await createTestConnection(a);
    const bConnection = await createTestConnection(b);
    const claim = await claimDomain(aOwner.ctx, { domain: freshDomain() });
    await expect(setDomainConnection(aOwner.ctx, { domainId: claim.id, connectionId: bConnection.id })).rejects.toMatchObject({ code: 'not_found' });
    await setDomainConnection(aOwner.ctx, { domainId: claim.id, connectionId: aConnection.id });
    expect((await listDomains(aOwner.ctx))[0]).toMatchObject({ connectionId: aConnection.id, connection: { name: aConnection.name } });
    expect(await systemDb().auditLog.findFirst({ where: { organizationId: a.id, action: 'domain.connection_set' } })).not.toBeNull();
  });

  it.each<Role>(['ADMIN', 'MEMBER', 'AUDITOR', 'VIEWER'])('a %s gets 403 on every domain action and nothing changes', async (role) => {
    const org = await createOrg();
    const owner = await createMember(org, 'OWNER');
    const actor = await createMember(org, role);
    const claim = await claimDomain(owner.ctx, { domain: freshDomain() });
    const before = await orgState(org.id);
    const attempts: (() => Promise<unknown>)[] = [
      () => listDomains(actor.ctx),
      () => claimDomain(actor.ctx, { domain: freshDomain() }),
      () => verifyDomain(actor.ctx, { domainId: claim.id }),
      () => setDomainConnection(actor.ctx, { domainId: claim.id, connectionId: null }),
      () => deleteDomain(actor.ctx, { domainId: claim.id }),
    ];
    for (const attempt of attempts) await expect(attempt()).rejects.toMatchObject({ code: 'forbidden', status: 403 });
    expect(await orgState(org.id)).toEqual(before);
  });

  it('an owner of org B gets 404 for org A\'s domain, and nothing changes', async () => {
    const a = await createOrg();
    const b = await createOrg();
    const aOwner = await createMember(a, 'OWNER');
    const bOwner = await createMember(b, 'OWNER');
    const claim = await claimDomain(aOwner.ctx, { domain: freshDomain() });
    records[claim.domain] = [claim.txtRecord];
    const before = await orgState(a.id);
    for (const attempt of [
      () => verifyDomain(bOwner.ctx, { domainId: claim.id }),
      () => setDomainConnection(bOwner.ctx, { domainId: claim.id, connectionId: null }),
      () => deleteDomain(bOwner.ctx, { domainId: claim.id }),
    ]) await expect(attempt()).rejects.toMatchObject({ code: 'not_found', status: 404 });
    expect(await orgState(a.id)).toEqual(before);
  });
});
