import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST } from '@/app/api/v1/snapshots/route';
import { systemContext } from '@/lib/platform/auth/context';
import { disconnectDb } from '@/lib/platform/db/client';
import { dbFor } from '@/lib/platform/db/tenant';
import { evaluateStoredSnapshot } from '@/lib/services/pipeline/evaluate-stored-snapshot';
import { closeProducers } from '@/lib/platform/queue/producers';
import { createClusterWithToken, createOrg } from '@/lib/testing/factories';
import { container, deployment, namespace, snapshotOf } from '@/lib/testing/k8s';
import { deliverSnapshot } from '../src/deliver';
import { createMemoryLogger } from '../src/log';
import { Spool } from '../src/spool';

/**
 * The agent's delivery against the real intake (the route handler behind a real HTTP server, real Postgres and
 * Redis): both sides must compute the same digest and speak the same notice for an unchanged cluster.
 */
let server: Server;
let url: string;
let dir: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(name, value);
      const request = new Request(`http://127.0.0.1${req.url ?? '/'}`, { method: req.method, headers, body: new Uint8Array(Buffer.concat(chunks)) });
      void POST(request).then(async (response) => {
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.end(Buffer.from(await response.arrayBuffer()));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = await mkdtemp(path.join(tmpdir(), 'bulwark-agent-real-'));
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
  await closeProducers();
  await disconnectDb();
});

describe('the agent against the real intake', () => {
  it('sends an unchanged cluster as a notice the server evaluates, and falls back to the full snapshot when it must', async () => {
    const org = await createOrg('Agent real intake');
    const { token } = await createClusterWithToken(org, 'prod');
    const log = createMemoryLogger();
    const spool = new Spool(path.join(dir, 'spool'), { maxFiles: 10, log });
    await spool.init();
    const push = { server: url, token, log, maxAttempts: 1, timeoutMs: 10_000 };
    const objects = [namespace('shop'), deployment({ namespace: 'shop', name: 'web' }, { containers: [container({ name: 'web', image: 'nginx:latest', securityContext: {}, resources: {} })] })];
    const first = snapshotOf(objects, { collectedAt: '2026-07-01T10:00:00Z', clusterUid: 'uid-agent-real' });
    const at = (collectedAt: string) => ({ ...first, collectedAt });
    const db = dbFor({ organizationId: org.id });
    const evaluate = async (snapshotId: string) => evaluateStoredSnapshot(systemContext(org.id, 'test'), snapshotId, () => new Date());
    const idOf = (result: Awaited<ReturnType<typeof deliverSnapshot>>) => (result.delivered.at(-1)?.body as { snapshotId: string }).snapshotId;

    // 1. Full snapshot. 2. Same content before the server evaluated it: 409 (no digest yet), so full again.
    const one = idOf(await deliverSnapshot(first, spool, push));
    const two = idOf(await deliverSnapshot(at('2026-07-01T10:05:00Z'), spool, push));
    expect(await db.snapshot.findUniqueOrThrow({ where: { id: two } })).toMatchObject({ baseSnapshotId: null });
    await evaluate(one);
    await evaluate(two);

    // 3. Same content, base evaluated: a notice, which the server turns into a snapshot on the base's body.
    const three = await deliverSnapshot(at('2026-07-01T10:10:00Z'), spool, push);
    expect(three.delivered.map((delivery) => delivery.status)).toEqual([202]);
    const noticed = await db.snapshot.findUniqueOrThrow({ where: { id: idOf(three) } });
    expect(noticed).toMatchObject({ baseSnapshotId: two, collectedAt: new Date('2026-07-01T10:10:00Z') });
    expect(await evaluate(noticed.id)).toMatchObject({ outcome: 'done', opened: 0, resolved: 0 });

    // 4. Changed content: the full snapshot, with the finding gone resolved.
    const changed = snapshotOf([namespace('shop')], { collectedAt: '2026-07-01T10:15:00Z', clusterUid: 'uid-agent-real' });
    const four = idOf(await deliverSnapshot(changed, spool, push));
    expect(await db.snapshot.findUniqueOrThrow({ where: { id: four } })).toMatchObject({ baseSnapshotId: null });
    expect((await evaluate(four)).outcome).toBe('done');
    expect(await db.snapshot.count()).toBe(4);
  });
});
