import { afterAll, describe, expect, it } from 'vitest';
import { dbFor, systemDb } from './tenant';
import { disconnectDb } from './client';
import { insertSnapshotFromBase } from './snapshots-sql';
import { createClusterWithToken, createOrg } from '../../testing/factories';

afterAll(() => disconnectDb());

async function storedSnapshot(org: { id: string }, clusterId: string, body: Uint8Array<ArrayBuffer> | null) {
  return systemDb().snapshot.create({
    data: {
      organizationId: org.id, clusterId, idempotencyKey: `base-${clusterId}`, contentSha256: 'a'.repeat(64), collectedAt: new Date('2026-01-01T00:00:00Z'),
      schemaVersion: 1, agentVersion: '0.1.0', body, compressedBytes: 3, rawBytes: 3, objectCounts: { pods: 1 }, collection: {}, status: 'DONE', contentDigest: 'digest-1',
    },
    select: { id: true },
  });
}

const NOTICE = { contentDigest: 'digest-1', idempotencyKey: 'notice-1', collectedAt: new Date('2026-01-01T01:00:00Z') };

describe('insertSnapshotFromBase', () => {
  it('copies the base inside its organization and cluster, and nowhere else', async () => {
    const acme = await createOrg('Acme Copy');
    const globex = await createOrg('Globex Copy');
    const { cluster } = await createClusterWithToken(acme, 'prod');
    const base = await storedSnapshot(acme, cluster.id, new TextEncoder().encode('abc'));

    const asGlobex = await dbFor({ organizationId: globex.id }).$transaction((tx) => insertSnapshotFromBase(tx, globex.id, cluster.id, { ...NOTICE, baseSnapshotId: base.id }));
    expect(asGlobex).toBeNull();
    const otherDigest = await dbFor({ organizationId: acme.id }).$transaction((tx) => insertSnapshotFromBase(tx, acme.id, cluster.id, { ...NOTICE, contentDigest: 'digest-2', baseSnapshotId: base.id }));
    expect(otherDigest).toBeNull();
    expect(await systemDb().snapshot.count({ where: { clusterId: cluster.id } })).toBe(1);

    const copy = await dbFor({ organizationId: acme.id }).$transaction((tx) => insertSnapshotFromBase(tx, acme.id, cluster.id, { ...NOTICE, baseSnapshotId: base.id }));
    const row = await systemDb().snapshot.findUniqueOrThrow({ where: { id: copy!.id }, omit: { body: false } });
    expect(row).toMatchObject({ organizationId: acme.id, clusterId: cluster.id, baseSnapshotId: base.id, idempotencyKey: 'notice-1', collectedAt: NOTICE.collectedAt, contentDigest: 'digest-1', status: 'QUEUED' });
    expect(new TextDecoder().decode(row.body!)).toBe('abc');
  });

  it('finds nothing to copy once the base is pruned', async () => {
    const acme = await createOrg('Acme Pruned');
    const { cluster } = await createClusterWithToken(acme, 'prod');
    const base = await storedSnapshot(acme, cluster.id, null);
    expect(await dbFor({ organizationId: acme.id }).$transaction((tx) => insertSnapshotFromBase(tx, acme.id, cluster.id, { ...NOTICE, baseSnapshotId: base.id }))).toBeNull();
  });
});
