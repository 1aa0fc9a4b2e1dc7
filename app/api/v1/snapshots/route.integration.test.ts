import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST } from './route';
import { GET as GET_STATUS } from './[id]/route';
import { disconnectDb } from '@/lib/platform/db/client';
import { dbFor, systemDb } from '@/lib/platform/db/tenant';
import { closeProducers } from '@/lib/platform/queue/producers';
import { createClusterWithToken, createOrg } from '@/lib/testing/factories';
import { namespace, pod, snapshotOf } from '@/lib/testing/k8s';
import { revokeAgentToken } from '@/lib/services/clusters/agent-tokens';
import { systemContext } from '@/lib/platform/auth/context';

afterAll(async () => { await closeProducers(); await disconnectDb(); });

const URL_ = 'http://localhost/api/v1/snapshots';
let org: { id: string; slug: string };
let clusterId: string;
let token: string;

beforeAll(async () => {
  org = await createOrg();
  const created = await createClusterWithToken(org, 'prod');
  clusterId = created.cluster.id;
  token = created.token;
});

function validSnapshot(collectedAt = '2026-04-01T00:00:00Z') {
  return snapshotOf([namespace('shop'), pod({ namespace: 'shop', name: 'api' })], { collectedAt, clusterUid: 'uid-route-test' });
}

function post(body: BodyInit | null, headers: Record<string, string> = {}, bearer: string | null = token) {
  return POST(new Request(URL_, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...headers },
    // @ts-expect-error Node's fetch needs duplex for a streamed body; the DOM types don't know it
    duplex: 'half',
  }));
}

async function snapshotCount() {
  return dbFor({ organizationId: org.id }).snapshot.count();
}

async function errorOf(response: Response) {
  return ((await response.json()) as { error: { code: string; message: string; issues?: { path: string; message: string }[] } }).error;
}

describe('POST /api/v1/snapshots', () => {
  it('accepts a gzip snapshot with 202, a Location, and reports its status', async () => {
    const response = await post(gzipSync(JSON.stringify(validSnapshot())), { 'content-encoding': 'gzip' });
    expect(response.status).toBe(202);
    const body = (await response.json()) as { snapshotId: string; status: string };
    expect(body.status).toBe('queued');
    expect(response.headers.get('location')).toBe(`/api/v1/snapshots/${body.snapshotId}`);
    const status = await GET_STATUS(new Request(`${URL_}/${body.snapshotId}`, { headers: { authorization: `Bearer ${token}` } }), { params: Promise.resolve({ id: body.snapshotId }) });
    expect(status.status).toBe(200);
    expect(await status.json()).toMatchObject({ snapshotId: body.snapshotId, status: 'queued' });
    expect((await systemDb().agentToken.findFirstOrThrow({ where: { clusterId } })).lastUsedAt).not.toBeNull();
  });

  it('answers a replayed snapshot with 200 and the first one\'s id, storing it once', async () => {
    const body = JSON.stringify(validSnapshot('2026-04-02T00:00:00Z'));
    const first = (await (await post(body, { 'idempotency-key': 'key-replay-0001' })).json()) as { snapshotId: string };
    const before = await snapshotCount();
    const replay = await post(body, { 'idempotency-key': 'key-replay-0001' });
    expect(replay.status).toBe(200);
    expect(await replay.json()).toMatchObject({ snapshotId: first.snapshotId, duplicate: true });
    expect(await snapshotCount()).toBe(before);
  });

  it.each([
    ['no token', null, 'Missing agent token'],
    ['an unknown token', 'bwa_unknowntokenvalue', 'Invalid or revoked'],
    ['a token of the wrong kind', 'bwk_sometoken', 'Invalid or revoked'],
  ])('answers 401 for %s and stores nothing', async (_label, bearer, message) => {
    const before = await snapshotCount();
    const response = await post(JSON.stringify(validSnapshot()), {}, bearer);
    expect(response.status).toBe(401);
    expect((await errorOf(response)).message).toContain(message);
    expect(await snapshotCount()).toBe(before);
  });

  it('answers 401 for a revoked token', async () => {
    const other = await createClusterWithToken(org, 'revoked');
    const row = await systemDb().agentToken.findFirstOrThrow({ where: { clusterId: other.cluster.id } });
    await revokeAgentToken(systemContext(org.id, 'test'), row.id);
    const response = await post(JSON.stringify(validSnapshot()), {}, other.token);
    expect(response.status).toBe(401);
  });

  it('answers 400 with the JSON paths of the problems, and stores nothing', async () => {
    const bad = validSnapshot() as unknown as { objects: { pods: { metadata: { name: unknown } }[] }; schemaVersion: unknown };
    bad.objects.pods[0]!.metadata.name = 42;
    bad.schemaVersion = 99;
    const before = await snapshotCount();
    const response = await post(JSON.stringify(bad));
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.code).toBe('invalid');
    expect(error.issues?.map((i) => i.path)).toEqual(expect.arrayContaining(['schemaVersion', 'objects.pods[0].metadata.name']));
    expect(await snapshotCount()).toBe(before);
  });

  it('answers 400 for malformed JSON and for a truncated gzip stream', async () => {
    expect((await post('{"schemaVersion": 1,')).status).toBe(400);
    const gz = gzipSync(JSON.stringify(validSnapshot()));
    const truncated = await post(gz.subarray(0, Math.floor(gz.length / 2)), { 'content-encoding': 'gzip' });
    expect(truncated.status).toBe(400);
    expect((await errorOf(truncated)).message).toMatch(/gzip/i);
  });

  it('cuts off a gzip bomb while inflating it and answers 413', async () => {
    // 300 MB of zeros compresses to about 300 KB: under the wire limit, far over the decompressed one.
    const bomb = gzipSync(Buffer.alloc(300 * 1024 * 1024), { level: 9 });
    const before = await snapshotCount();
    const response = await post(bomb, { 'content-encoding': 'gzip' });
    expect(response.status).toBe(413);
    expect((await errorOf(response)).message).toMatch(/Decompressed snapshot exceeds/);
    expect(await snapshotCount()).toBe(before);
  });

  it('refuses a snapshot that carries secret values (defence in depth against a modified agent)', async () => {
    const leaky = validSnapshot() as unknown as { objects: { secrets: unknown[] } };
    leaky.objects.secrets.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'shop' }, type: 'Opaque', keys: ['password'], data: { password: 'aHVudGVyMg==' } });
    const response = await post(JSON.stringify(leaky));
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).not.toContain('aHVudGVyMg==');
  });

  it('refuses a raw credential in a ConfigMap, naming the key, and accepts the agent\'s redaction marker there', async () => {
    const planted = 'ghp_R4nd0mG1tHubT0k3nV4lu3xxxxxxxxxxxxxx1';
    const before = await snapshotCount();
    const leaky = validSnapshot() as unknown as { objects: { configmaps?: unknown[] } };
    leaky.objects.configmaps = [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'shop' }, keys: ['GITHUB_TOKEN'], data: { GITHUB_TOKEN: planted } }];
    const refused = await post(JSON.stringify(leaky));
    expect(refused.status).toBe(400);
    const body = JSON.stringify(await refused.json());
    expect(body).toContain('objects.configmaps[0].data.GITHUB_TOKEN');
    expect(body).toContain('ConfigMap value looks like a credential (known-token-format)');
    expect(body).not.toContain(planted);
    expect(await snapshotCount()).toBe(before);

    const redacted = validSnapshot('2026-04-02T00:00:00Z') as unknown as { objects: { configmaps?: unknown[] } };
    redacted.objects.configmaps = [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'shop' }, keys: ['GITHUB_TOKEN'], data: { GITHUB_TOKEN: { redacted: true, sha256Prefix: '0123abcd', length: 40, reason: 'known-token-format' } } },
    ];
    expect((await post(JSON.stringify(redacted))).status).toBe(202);
  });

  it('answers 415 for a body that is not JSON or an unknown encoding', async () => {
    expect((await post('x', { 'content-type': 'text/plain' })).status).toBe(415);
    expect((await post('x', { 'content-encoding': 'br' })).status).toBe(415);
  });
});
