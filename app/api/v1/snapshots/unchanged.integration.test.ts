import { gzipSync } from 'node:zlib';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { POST } from './route';
import { disconnectDb } from '@/lib/platform/db/client';
import { dbFor, systemDb } from '@/lib/platform/db/tenant';
import { closeProducers } from '@/lib/platform/queue/producers';
import { createClusterWithToken, createOrg } from '@/lib/testing/factories';
import { container, deployment, namespace, snapshotOf } from '@/lib/testing/k8s';
import { systemContext } from '@/lib/platform/auth/context';
import { evaluateStoredSnapshot } from '@/lib/services/pipeline/evaluate-stored-snapshot';
import { snapshotBodyDigest } from '@/lib/analysis/snapshot/build';

afterAll(async () => { await closeProducers(); await disconnectDb(); });

const URL_ = 'http://localhost/api/v1/snapshots';
const NOTICE = 'application/vnd.bulwark.unchanged+json';
let org: Awaited<ReturnType<typeof createOrg>>;
let clusterId: string;
let token: string;

beforeEach(async () => {
  org = await createOrg();
  ({ cluster: { id: clusterId }, token } = await createClusterWithToken(org, 'prod'));
});

const loose = deployment({ namespace: 'shop', name: 'web' }, { containers: [container({ name: 'web', image: 'nginx:latest', securityContext: {}, resources: {} })] });
const snapshotAt = (collectedAt: string) => snapshotOf([namespace('shop'), loose], { collectedAt, clusterUid: 'uid-unchanged' });

function post(body: string | Uint8Array, contentType: string, headers: Record<string, string> = {}, bearer = token) {
  return POST(new Request(URL_, { method: 'POST', body: typeof body === 'string' ? body : new Uint8Array(body), headers: { 'content-type': contentType, authorization: `Bearer ${bearer}`, ...headers } }));
}

async function pushFull(collectedAt: string, evaluateAt?: string) {
  const snapshot = snapshotAt(collectedAt);
  const response = await post(gzipSync(JSON.stringify(snapshot)), 'application/json', { 'content-encoding': 'gzip' });
  expect(response.status).toBe(202);
  const { snapshotId } = await response.json() as { snapshotId: string };
  if (evaluateAt) await evaluateStoredSnapshot(systemContext(org.id, 'test'), snapshotId, () => new Date(evaluateAt));
  return { snapshot, snapshotId };
}

const notice = (baseSnapshotId: string, contentDigest: string, collectedAt: string) => JSON.stringify({ schemaVersion: 1, baseSnapshotId, contentDigest, collectedAt });

describe('an "unchanged" notice instead of the whole snapshot', () => {
  it('becomes a new snapshot with the base\'s body, evaluated like any other', async () => {
    const base = await pushFull('2026-06-01T10:00:00Z', '2026-06-01T10:01:00Z');
    const db = dbFor({ organizationId: org.id });
    const stored = await db.snapshot.findUniqueOrThrow({ where: { id: base.snapshotId } });
    expect(stored.contentDigest).toBe(snapshotBodyDigest(base.snapshot));
    const findingsBefore = await db.finding.findMany({ select: { id: true, status: true }, orderBy: { id: 'asc' } });
    expect(findingsBefore.length).toBeGreaterThan(2);

    // What the agent computes for its next collection of the same objects.
    const body = notice(base.snapshotId, snapshotBodyDigest({ ...base.snapshot, collectedAt: '2026-06-01T10:05:00Z' }), '2026-06-01T10:05:00Z');
    const response = await post(body, NOTICE, { 'idempotency-key': 'notice-key-0001' });
    expect(response.status).toBe(202);
    const { snapshotId } = await response.json() as { snapshotId: string };
    const created = await db.snapshot.findUniqueOrThrow({ where: { id: snapshotId }, omit: { body: false } });
    expect(created).toMatchObject({ baseSnapshotId: base.snapshotId, contentDigest: stored.contentDigest, status: 'QUEUED', collectedAt: new Date('2026-06-01T10:05:00Z') });
    expect(Buffer.from(created.body!).equals(Buffer.from((await db.snapshot.findUniqueOrThrow({ where: { id: base.snapshotId }, omit: { body: false } })).body!))).toBe(true);

    const outcome = await evaluateStoredSnapshot(systemContext(org.id, 'test'), snapshotId, () => new Date('2026-06-01T10:06:00Z'));
    expect(outcome).toMatchObject({ outcome: 'done', opened: 0, resolved: 0 });
    expect(await db.finding.findMany({ select: { id: true, status: true }, orderBy: { id: 'asc' } })).toEqual(findingsBefore);
    expect(await db.cluster.findUniqueOrThrow({ where: { id: clusterId } })).toMatchObject({ lastEvaluatedAt: new Date('2026-06-01T10:06:00Z'), lastCollectedAt: new Date('2026-06-01T10:05:00Z') });

    // The same notice again: the first one's id, stored once.
    const replay = await post(body, NOTICE, { 'idempotency-key': 'notice-key-0001' });
    expect(replay.status).toBe(200);
    expect(await replay.json()).toMatchObject({ snapshotId, duplicate: true });
    expect(await db.snapshot.count()).toBe(2);
  });

  it('answers 409, and stores nothing, when the base cannot stand in for the collection', async () => {
    const evaluated = await pushFull('2026-06-01T10:00:00Z', '2026-06-01T10:01:00Z');
    const digest = snapshotBodyDigest(evaluated.snapshot);
    const other = await createClusterWithToken(org, 'staging');
    const otherBase = await pushFull('2026-06-01T10:00:00Z').then(async () => {
      const response = await post(gzipSync(JSON.stringify(snapshotOf([namespace('x')], { collectedAt: '2026-06-01T10:00:00Z', clusterUid: 'uid-other' }))), 'application/json', { 'content-encoding': 'gzip' }, other.token);
      return (await response.json() as { snapshotId: string }).snapshotId;
    });
    const notEvaluated = await pushFull('2026-06-01T10:02:00Z');
    const db = dbFor({ organizationId: org.id });
    const count = await db.snapshot.count();

    const cases: [string, RegExp][] = [
      [notice(otherBase, digest, '2026-06-01T10:05:00Z'), /is not a snapshot of this cluster; send the full snapshot/],
      [notice('00000000-0000-4000-8000-000000000000', digest, '2026-06-01T10:05:00Z'), /is not a snapshot of this cluster/],
      [notice(notEvaluated.snapshotId, digest, '2026-06-01T10:05:00Z'), /has not been evaluated yet/],
      [notice(evaluated.snapshotId, 'f'.repeat(64), '2026-06-01T10:05:00Z'), /content digest differs/],
      [notice(evaluated.snapshotId, digest, '2026-06-01T09:59:00Z'), /is not later than the base's/],
    ];
    for (const [body, message] of cases) {
      const response = await post(body, NOTICE);
      expect(response.status, body).toBe(409);
      expect((await response.json() as { error: { message: string } }).error.message).toMatch(message);
    }
    await systemDb().snapshot.update({ where: { id: evaluated.snapshotId }, data: { body: null, prunedAt: new Date() } });
    const pruned = await post(notice(evaluated.snapshotId, digest, '2026-06-01T10:05:00Z'), NOTICE);
    expect(pruned.status).toBe(409);
    expect((await pruned.json() as { error: { message: string } }).error.message).toMatch(/was pruned by retention/);
    expect(await db.snapshot.count()).toBe(count);
  });

  it('answers 400 with the paths of a malformed notice, and 413 for a body that is not a notice', async () => {
    const bad = await post(JSON.stringify({ schemaVersion: 1, contentDigest: 'nope', collectedAt: 'yesterday' }), NOTICE);
    expect(bad.status).toBe(400);
    const paths = ((await bad.json()) as { error: { issues: { path: string }[] } }).error.issues.map((d) => d.path).sort();
    expect(paths).toEqual(['baseSnapshotId', 'collectedAt', 'contentDigest']);
    const big = await post(JSON.stringify({ padding: 'x'.repeat(10_000) }), NOTICE);
    expect(big.status).toBe(413);
  });
});
