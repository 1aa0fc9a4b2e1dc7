import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '@/lib/platform/auth/context';
import { disconnectDb } from '@/lib/platform/db/client';
import { dbFor } from '@/lib/platform/db/tenant';
import { closeProducers } from '@/lib/platform/queue/producers';
import { createApiToken } from '@/lib/services/orgs/api-tokens';
import { createOrg } from '@/lib/testing/factories';
import { GET, PUT } from './route';

// The CIS benchmark version through the v1 API (issue 21): read with any token, changed by an admin's token (400
// naming the field for an unknown version, 403 for a viewer's token, nothing changed either way).

afterAll(async () => { await closeProducers(); await disconnectDb(); });

let org: { id: string; slug: string };
let admin: string;
let viewer: string;
const url = () => `http://localhost/api/v1/orgs/${org.slug}/settings/benchmark`;
const call = (handler: typeof GET, token: string, method: 'GET' | 'PUT', body?: unknown) =>
  handler(new Request(url(), { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }), { params: Promise.resolve({ org: org.slug }) });

beforeAll(async () => {
  org = await createOrg();
  admin = (await createApiToken(systemContext(org.id, 'test', org.slug), { name: 'grc', role: 'ADMIN' })).token;
  viewer = (await createApiToken(systemContext(org.id, 'test', org.slug), { name: 'ro', role: 'VIEWER' })).token;
});

describe('/api/v1/orgs/{org}/settings/benchmark', () => {
  it('reads v1.9 by default, sets v1.12 with an admin token, and the organization keeps it', async () => {
    expect(await (await call(GET, viewer, 'GET')).json()).toEqual({ version: '1.9', frameworkId: 'cis-k8s-1.9' });
    const put = await call(PUT, admin, 'PUT', { version: '1.12' });
    expect(put.status).toBe(200);
    expect(await put.json()).toEqual({ version: '1.12', frameworkId: 'cis-k8s-1.12' });
    expect((await dbFor({ organizationId: org.id }).organization.findUniqueOrThrow({ where: { id: org.id } })).cisBenchmarkVersion).toBe('1.12');
  });

  it('refuses an unknown version naming the field, and a viewer, changing nothing', async () => {
    const bad = await call(PUT, admin, 'PUT', { version: '2.0' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('version');
    expect((await call(PUT, viewer, 'PUT', { version: '1.9' })).status).toBe(403);
    expect(await (await call(GET, viewer, 'GET')).json()).toMatchObject({ version: '1.12' });
  });
});
