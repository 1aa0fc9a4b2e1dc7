import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST } from './route';
import { GET as GET_HEALTH } from '../../health/route';
import { disconnectDb } from '@/lib/platform/db/client';
import { dbFor } from '@/lib/platform/db/tenant';
import { IntakePool, replaceIntakePoolForTests } from '@/lib/services/ingest/intake-pool';
import { closeProducers } from '@/lib/platform/queue/producers';
import { createClusterWithToken, createOrg } from '@/lib/testing/factories';
import { namespace, pod, snapshotOf } from '@/lib/testing/k8s';

/*
 * A hostile tenant's snapshot must never hold up anyone else. Its validation runs in the intake pool's worker
 * thread; here a test build of that thread (lib/services/ingest/__fixtures__/gated-intake-worker.mjs) holds the hostile
 * organization's task at a gate, so "still in progress" is a fact the test controls, not a race against the clock.
 */
const GATED_WORKER = path.join(process.cwd(), 'lib/services/ingest/__fixtures__/gated-intake-worker.mjs');
const URL_ = 'http://localhost/api/v1/snapshots';

let hostile: { org: { id: string; slug: string }; token: string };
let neighbour: { org: { id: string; slug: string }; token: string };

async function tenant(name: string) {
  const org = await createOrg(`${name} ${Math.random().toString(36).slice(2, 8)}`);
  const { token } = await createClusterWithToken(org, 'prod');
  return { org, token };
}

beforeAll(async () => {
  hostile = await tenant('Hostile');
  neighbour = await tenant('Neighbour');
});

afterAll(async () => {
  await replaceIntakePoolForTests(undefined);
  await closeProducers();
  await disconnectDb();
});

function post(token: string, body: Buffer) {
  const bytes: BodyInit = new Uint8Array(body);
  return POST(new Request(URL_, {
    method: 'POST',
    body: bytes,
    headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', authorization: `Bearer ${token}` },
  }));
}

function gatedPool(gate: Int32Array, options: { taskTimeoutMs?: number } = {}) {
  return new IntakePool({ filename: GATED_WORKER, threads: 2, workerData: { gate, gatedOrganizationId: hostile.org.id }, ...options });
}

/** Resolves once the hostile organization's task has reached the gate inside its worker thread. */
async function gatedTaskRunning(gate: Int32Array): Promise<void> {
  while (Atomics.load(gate, 1) === 0) await sleep(10);
}

/** The long-string snapshot of issue 16: one annotation of 80,000 letters, 1.8 KB gzipped. */
function longAnnotationSnapshot() {
  const snapshot = snapshotOf([namespace('shop'), pod({ namespace: 'shop', name: 'api', annotations: { note: 'a'.repeat(80_000) } })], { clusterUid: 'uid-hostile', collectedAt: new Date().toISOString() });
  return gzipSync(JSON.stringify(snapshot));
}

function ordinarySnapshot(uid: string) {
  return gzipSync(JSON.stringify(snapshotOf([namespace('shop'), pod({ namespace: 'shop', name: 'web' })], { clusterUid: uid, collectedAt: new Date().toISOString() })));
}

describe('a hostile snapshot in the intake', () => {
  it('does not delay /api/health or another organization\'s upload while it is being validated', async () => {
    const gate = new Int32Array(new SharedArrayBuffer(8));
    await replaceIntakePoolForTests(gatedPool(gate));
    let hostileAnswered = false;
    const hostileResponse = post(hostile.token, longAnnotationSnapshot()).then((response) => {
      hostileAnswered = true;
      return response;
    });
    await gatedTaskRunning(gate);

    const health = await GET_HEALTH();
    expect(health.status).toBe(200);
    const other = await post(neighbour.token, ordinarySnapshot('uid-neighbour'));
    expect(other.status).toBe(202);
    // Both answered while the hostile snapshot was still inside its validation.
    expect(hostileAnswered).toBe(false);
    expect(await dbFor({ organizationId: neighbour.org.id }).snapshot.count()).toBe(1);

    Atomics.store(gate, 0, 1);
    Atomics.notify(gate, 0);
    const answer = await hostileResponse;
    // Whatever the detectors conclude about 80,000 letters, the hostile tenant gets an answer, not a 5xx.
    expect([202, 400]).toContain(answer.status);
  });

  it('answers 503 with Retry-After when a validation passes its time limit, and the pool goes on serving others', async () => {
    const gate = new Int32Array(new SharedArrayBuffer(8));
    await replaceIntakePoolForTests(gatedPool(gate, { taskTimeoutMs: 1_000 }));
    const before = await dbFor({ organizationId: hostile.org.id }).snapshot.count();
    // The gate is never opened: the task can only end by the pool terminating its thread.
    const answer = await post(hostile.token, longAnnotationSnapshot());
    expect(answer.status).toBe(503);
    expect(answer.headers.get('retry-after')).toBe('1');
    const body = (await answer.json()) as { error: { code: string; message: string } };
    expect(body.error.message).toMatch(/did not finish within 1 s/);
    expect(await dbFor({ organizationId: hostile.org.id }).snapshot.count()).toBe(before);

    const other = await post(neighbour.token, ordinarySnapshot('uid-neighbour'));
    expect(other.status).toBe(202);
  });
});
