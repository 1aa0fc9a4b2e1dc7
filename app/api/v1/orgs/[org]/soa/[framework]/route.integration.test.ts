import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '@/lib/platform/auth/context';
import { disconnectDb } from '@/lib/platform/db/client';
import { dbFor } from '@/lib/platform/db/tenant';
import { createApiToken } from '@/lib/services/orgs/api-tokens';
import { createMember, createOrg } from '@/lib/testing/factories';
import { GET } from './route';
import { PUT } from './requirements/[requirement]/route';
import { GET as VERSIONS, POST as APPROVE } from './versions/route';

afterAll(() => disconnectDb());

type Org = { id: string; slug: string };
type Role = 'ADMIN' | 'MEMBER' | 'AUDITOR' | 'VIEWER';
const tokenFor = async (org: Org, role: Role) => (await createApiToken(systemContext(org.id, 'test', org.slug), { name: `${role.toLowerCase()}-soa`, role })).token;
const url = (org: Org, path: string) => `http://localhost/api/v1/orgs/${org.slug}/soa/${path}`;
const send = (method: string, org: Org, token: string, path: string, body?: unknown) =>
  new Request(url(org, path), { method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
const put = (org: Org, token: string, framework: string, requirement: string, body: unknown) =>
  PUT(send('PUT', org, token, `${framework}/requirements/${requirement}`, body), { params: Promise.resolve({ org: org.slug, framework, requirement }) });

let acme: Org;
let admin: string;
let ownerUserId: string;

beforeAll(async () => {
  acme = await createOrg();
  admin = await tokenFor(acme, 'ADMIN');
  ownerUserId = (await createMember(acme, 'MEMBER')).user.id;
});

describe('the SoA API', () => {
  it('records a decision, refuses an exclusion without a justification with a 400 naming the field, approves a version (201, then 409)', async () => {
    const refused = await put(acme, admin, 'iso', 'A.7.1', { applicability: 'excluded' });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: { issues: [{ path: 'justification', message: 'A justification is required to exclude a requirement' }] } });
    expect(await dbFor({ organizationId: acme.id }).soaEntry.count()).toBe(0);

    const saved = await put(acme, admin, 'iso', 'A.5.1', { applicability: 'applicable', ownerUserId, implementationStatus: 'implemented' });
    expect(saved.status).toBe(200);
    expect(await saved.json()).toMatchObject({ requirementId: 'A.5.1', owner: { userId: ownerUserId }, implementationStatus: 'implemented' });
    expect((await put(acme, admin, 'iso', 'A.99.1', { applicability: 'applicable' })).status).toBe(404);
    expect((await put(acme, await tokenFor(acme, 'MEMBER'), 'iso', 'A.5.1', { applicability: 'applicable' })).status).toBe(403);

    const approve = () => APPROVE(send('POST', acme, admin, 'iso27001-2022/versions', { note: 'API approval' }), { params: Promise.resolve({ org: acme.slug, framework: 'iso27001-2022' }) });
    const approved = await approve();
    expect(approved.status).toBe(201);
    expect(await approved.json()).toMatchObject({ version: 1, note: 'API approval', changed: ['A.5.1'] });
    expect((await approve()).status).toBe(409);

    const auditor = await tokenFor(acme, 'AUDITOR');
    const soa = await GET(send('GET', acme, auditor, 'iso'), { params: Promise.resolve({ org: acme.slug, framework: 'iso' }) });
    expect(soa.status).toBe(200);
    const body = (await soa.json()) as { requirements: { requirementId: string; status: string; owner: { userId: string } | null }[]; latest: { version: number } };
    expect(body.latest.version).toBe(1);
    expect(body.requirements.find((r) => r.requirementId === 'A.5.1')).toMatchObject({ status: 'not_assessed', owner: { userId: ownerUserId } });
    const versions = await VERSIONS(send('GET', acme, auditor, 'iso/versions'), { params: Promise.resolve({ org: acme.slug, framework: 'iso' }) });
    expect(((await versions.json()) as { versions: { version: number }[] }).versions.map((v) => v.version)).toEqual([1]);
    expect((await GET(send('GET', acme, auditor, 'nope'), { params: Promise.resolve({ org: acme.slug, framework: 'nope' }) })).status).toBe(404);
  });

  it('answers 404 to another organization\'s token, for reading and for editing', async () => {
    const globex = await createOrg();
    const theirs = await tokenFor(globex, 'ADMIN');
    expect((await GET(send('GET', acme, theirs, 'iso'), { params: Promise.resolve({ org: acme.slug, framework: 'iso' }) })).status).toBe(404);
    expect((await put(acme, theirs, 'iso', 'A.5.1', { applicability: 'excluded', justification: 'not theirs to decide' })).status).toBe(404);
    expect((await dbFor({ organizationId: acme.id }).soaEntry.findFirstOrThrow({ where: { requirementId: 'A.5.1' } })).applicability).toBe('applicable');
  });
});
