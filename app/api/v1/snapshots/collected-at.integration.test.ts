import { gzipSync } from 'node:zlib';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { POST } from './route';
import { disconnectDb } from '@/lib/platform/db/client';
import { dbFor } from '@/lib/platform/db/tenant';
import { closeProducers } from '@/lib/platform/queue/producers';
import { createClusterWithToken, createOrg } from '@/lib/testing/factories';
import { container, deployment, namespace, snapshotOf } from '@/lib/testing/k8s';
import { systemContext } from '@/lib/platform/auth/context';
import { evaluateStoredSnapshot } from '@/lib/services/pipeline/evaluate-stored-snapshot';
import { snapshotBodyDigest } from '@/lib/analysis/snapshot/build';
import type { Snapshot } from '@/lib/analysis/snapshot/schema';

afterAll(async () => { await closeProducers(); await disconnectDb(); });

const URL_ = 'http://localhost/api/v1/snapshots';
const NOTICE = 'application/vnd.bulwark.unchanged+json';
const LIVE_UID = 'c0ffee00-0000-4000-8000-00000000abcd';
let org: Awaited<ReturnType<typeof createOrg>>;
let clusterId: string;
let token: string;

beforeEach(async () => {
  org = await createOrg();
  ({ cluster: { id: clusterId }, token } = await createClusterWithToken(org, 'prod'));
});

const objects = [namespace('shop'), deployment({ namespace: 'shop', name: 'web' }, { containers: [container({ name: 'web', image: 'nginx:latest', securityContext: {}, resources: {} })] })];
const liveAt = (collectedAt: string): Snapshot => snapshotOf(objects, { collectedAt, clusterUid: LIVE_UID });
const offlineAt = (collectedAt: string): Snapshot => ({ ...snapshotOf(objects, { collectedAt, mode: 'offline' }), cluster: { uid: 'offline:prod', name: 'prod', provider: 'offline' } });
const minutesFromNow = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();

function post(body: string | Uint8Array, contentType = 'application/json', headers: Record<string, string> = {}) {
  return POST(new Request(URL_, { method: 'POST', body: typeof body === 'string' ? body : new Uint8Array(body), headers: { 'content-type': contentType, authorization: `Bearer ${token}`, ...headers } }));
}
const push = (snapshot: Snapshot) => post(gzipSync(JSON.stringify(snapshot)), 'application/json', { 'content-encoding': 'gzip' });

async function errorOf(response: Response) {
  return ((await response.json()) as { error: { code: string; message: string; issues: { path: string; message: string }[] } }).error;
}

describe('a snapshot from the future', () => {
  it('is refused with 400 naming collectedAt, stores nothing, and genuine snapshots keep being the latest', async () => {
    const response = await push(liveAt('9999-12-31T23:59:59Z'));
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.code).toBe('invalid');
    expect(error.issues).toEqual([{ path: 'collectedAt', message: expect.stringMatching(/days ahead of the server's clock .*at most 300 s of clock skew/) }]);
    expect(await dbFor({ organizationId: org.id }).snapshot.count()).toBe(0);

    // Twenty minutes ahead is a clock gone wrong too; a minute ahead is ordinary skew.
    expect((await push(liveAt(minutesFromNow(20)))).status).toBe(400);
    expect((await push(liveAt(minutesFromNow(1)))).status).toBe(202);
    expect((await push(liveAt(new Date().toISOString()))).status).toBe(202);
    expect(await dbFor({ organizationId: org.id }).snapshot.count()).toBe(2);
  });

  it('is refused as an "unchanged" notice too', async () => {
    const base = liveAt('2026-06-01T10:00:00Z');
    const accepted = await push(base);
    const { snapshotId } = await accepted.json() as { snapshotId: string };
    await evaluateStoredSnapshot(systemContext(org.id, 'test'), snapshotId, () => new Date('2026-06-01T10:01:00Z'));
    const future = '9999-01-01T00:00:00Z';
    const notice = JSON.stringify({ schemaVersion: 1, baseSnapshotId: snapshotId, contentDigest: snapshotBodyDigest({ ...base, collectedAt: future }), collectedAt: future });
    const response = await post(notice, NOTICE);
    expect(response.status).toBe(400);
    expect((await errorOf(response)).issues).toEqual([{ path: 'collectedAt', message: expect.stringContaining('ahead of the server\'s clock') }]);
    expect(await dbFor({ organizationId: org.id }).snapshot.count()).toBe(1);
  });
});

describe('an offline scan pushed with a live cluster\'s token', () => {
  it('is refused with 409 once the cluster reported live, and stores nothing', async () => {
    expect((await push(liveAt('2026-06-01T10:00:00Z'))).status).toBe(202);
    const response = await push(offlineAt('2026-06-01T11:00:00Z'));
    expect(response.status).toBe(409);
    const error = await errorOf(response);
    expect(error.message).toContain('already reports live');
    expect(error.issues[0]?.path).toBe('cluster.provider');
    const db = dbFor({ organizationId: org.id });
    expect(await db.snapshot.count()).toBe(1);
    expect(await db.cluster.findUniqueOrThrow({ where: { id: clusterId } })).toMatchObject({ kubeSystemUid: LIVE_UID, provider: 'kind' });
  });

  it('is still accepted by a cluster that only ever received offline scans', async () => {
    expect((await push(offlineAt('2026-06-01T10:00:00Z'))).status).toBe(202);
    expect((await push(offlineAt('2026-06-01T11:00:00Z'))).status).toBe(202);
    expect(await dbFor({ organizationId: org.id }).cluster.findUniqueOrThrow({ where: { id: clusterId } })).toMatchObject({ kubeSystemUid: null, provider: 'offline' });
  });
});
