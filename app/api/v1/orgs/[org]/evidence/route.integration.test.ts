import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '@/lib/platform/auth/context';
import { disconnectDb } from '@/lib/platform/db/client';
import { createApiToken } from '@/lib/services/orgs/api-tokens';
import { addEvidence } from '@/lib/services/evidence/evidence';
import { createMember, createOrg } from '@/lib/testing/factories';
import { GET as LIST, POST as UPLOAD } from './route';
import { GET as DOWNLOAD } from './[id]/file/route';

afterAll(() => disconnectDb());

const ISO = 'iso27001-2022';
const DAY = 86_400_000;
type Org = { id: string; slug: string };
const tokenFor = async (org: Org, role: 'ADMIN' | 'MEMBER' | 'AUDITOR' | 'VIEWER') =>
  (await createApiToken(systemContext(org.id, 'test', org.slug), { name: `${role.toLowerCase()}-evidence`, role })).token;
const download = (org: Org, token: string, id: string) =>
  DOWNLOAD(new Request(`http://localhost/api/v1/orgs/${org.slug}/evidence/${id}/file`, { headers: { authorization: `Bearer ${token}` } }), { params: Promise.resolve({ org: org.slug, id }) });

let acme: Org;
let textId: string;
const TEXT = '<p>not markup at the start</p> ... a restore log that mentions <b> tags later on\n';

beforeAll(async () => {
  acme = await createOrg();
  const uploader = await createMember(acme, 'MEMBER');
  // Text that contains tags after its first line is still text (refused only when it opens as HTML/SVG/XML).
  const item = await addEvidence(uploader.ctx, {
    frameworkId: ISO, requirementId: 'A.5.1', kind: 'file', title: 'Restore log',
    collectedAt: new Date(Date.now() - DAY).toISOString(), validUntil: new Date(Date.now() + 90 * DAY).toISOString(),
  }, { name: 'restore.html', bytes: new TextEncoder().encode(`Restore log\n${TEXT}`) });
  textId = item.id;
});

describe('GET /api/v1/orgs/:org/evidence/:id/file', () => {
  it('serves a stored text file (even one named .html) as a text/plain attachment with nosniff and a sandbox policy', async () => {
    const response = await download(acme, await tokenFor(acme, 'AUDITOR'), textId);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="restore.html.txt"; filename*=UTF-8\'\'restore.html.txt');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain('sandbox');
    expect(await response.text()).toBe(`Restore log\n${TEXT}`);
  });

  it('serves owners, admins, members and auditors; refuses viewers (403); another organization and unknown ids get 404', async () => {
    for (const role of ['ADMIN', 'MEMBER', 'AUDITOR'] as const) expect((await download(acme, await tokenFor(acme, role), textId)).status).toBe(200);
    expect((await download(acme, await tokenFor(acme, 'VIEWER'), textId)).status).toBe(403);
    const globex = await createOrg();
    expect((await download(globex, await tokenFor(globex, 'ADMIN'), textId)).status).toBe(404);
    expect((await download(acme, await tokenFor(acme, 'ADMIN'), 'not-a-uuid')).status).toBe(404);
    expect((await download(acme, await tokenFor(acme, 'ADMIN'), '00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });
});

describe('the evidence list and upload routes', () => {
  it('lists a requirement\'s evidence and its state for a viewer', async () => {
    const response = await LIST(new Request(`http://localhost/api/v1/orgs/${acme.slug}/evidence?frameworkId=${ISO}&requirementId=A.5.1`, { headers: { authorization: `Bearer ${await tokenFor(acme, 'VIEWER')}` } }), { params: Promise.resolve({ org: acme.slug }) });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { state: string; items: { title: string; status: string }[] };
    expect(body.state).toBe('none');
    expect(body.items).toEqual([expect.objectContaining({ title: 'Restore log', status: 'pending' })]);
  });

  it('refuses an upload without the upload header (403), not multipart (415), or larger than the limit by its Content-Length (413)', async () => {
    const token = await tokenFor(acme, 'ADMIN');
    const post = (headers: Record<string, string>, body: BodyInit) =>
      UPLOAD(new Request(`http://localhost/api/v1/orgs/${acme.slug}/evidence`, { method: 'POST', headers: { authorization: `Bearer ${token}`, ...headers }, body }), { params: Promise.resolve({ org: acme.slug }) });
    const form = new FormData();
    form.set('title', 'x');
    expect((await post({}, form)).status).toBe(403);
    expect((await post({ 'x-bulwark-upload': '1', 'content-type': 'application/json' }, '{}')).status).toBe(415);
    const big = await post({ 'x-bulwark-upload': '1', 'content-type': 'multipart/form-data; boundary=x', 'content-length': String(11 * 1024 * 1024) }, 'x'.repeat(10));
    expect(big.status).toBe(413);
    expect(((await big.json()) as { error: { message: string } }).error.message).toContain('at most 10.0 MiB');
    // An API token is not a person: evidence is added by someone a reviewer can tell apart (four eyes).
    const encoded = new Response(form);
    const bytes = await encoded.arrayBuffer();
    const asToken = await post({ 'x-bulwark-upload': '1', 'content-type': encoded.headers.get('content-type')!, 'content-length': String(bytes.byteLength) }, bytes);
    expect(asToken.status).toBe(403);
    expect(((await asToken.json()) as { error: { message: string } }).error.message).toBe('Only a signed-in user can add evidence');
  });
});
