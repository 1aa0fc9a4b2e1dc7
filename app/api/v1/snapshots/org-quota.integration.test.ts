import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST } from './route';
import { disconnectDb } from '@/lib/platform/db/client';
import { dbFor } from '@/lib/platform/db/tenant';
import { resetEnvForTests } from '@/lib/platform/env';
import { IntakePool, replaceIntakePoolForTests } from '@/lib/services/ingest/intake-pool';
import { closeProducers } from '@/lib/platform/queue/producers';
import { createClusterWithToken, createOrg } from '@/lib/testing/factories';
import { namespace, pod, snapshotOf } from '@/lib/testing/k8s';

// Small quotas, so the test reaches them with a handful of requests. Per token the limit stays generous: what
// is tested is that many tokens of one organization do not add up to more than the organization's quota.
Object.assign(process.env, { INGEST_ORG_RATE_LIMIT_PER_MINUTE: '3', INGEST_ORG_MAX_CONCURRENT: '1', INGEST_RATE_LIMIT_PER_MINUTE: '30' });
resetEnvForTests();

const URL_ = 'http://localhost/api/v1/snapshots';
const GATED_WORKER = path.join(process.cwd(), 'lib/services/ingest/__fixtures__/gated-intake-worker.mjs');

type Tenant = { org: { id: string; slug: string }; tokens: string[] };

async function tenant(name: string, clusters: number): Promise<Tenant> {
  const org = await createOrg(`${name} ${Math.random().toString(36).slice(2, 8)}`);
  const tokens: string[] = [];
  for (let i = 0; i < clusters; i++) tokens.push((await createClusterWithToken(org, `c-${i}`)).token);
  return { org, tokens };
}

let seq = 0;
function post(token: string) {
  // Each cluster reports its own uid; each push is a new collection.
  const snapshot = snapshotOf([namespace('shop'), pod({ namespace: 'shop', name: 'api' })], { clusterUid: `uid-${token.slice(-12)}`, collectedAt: new Date(Date.now() - 60_000 + seq++).toISOString() });
  const body: BodyInit = new Uint8Array(gzipSync(JSON.stringify(snapshot)));
  return POST(new Request(URL_, { method: 'POST', body, headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', authorization: `Bearer ${token}` } }));
}

async function errorOf(response: Response) {
  return ((await response.json()) as { error: { code: string; message: string } }).error;
}

const stored = (t: Tenant) => dbFor({ organizationId: t.org.id }).snapshot.count();

afterAll(async () => {
  await replaceIntakePoolForTests(undefined);
  await closeProducers();
  await disconnectDb();
});

describe('per-organization ingest rate', () => {
  let busy: Tenant;
  let quiet: Tenant;
  beforeAll(async () => {
    busy = await tenant('Many tokens', 5);
    quiet = await tenant('Quiet', 1);
  });

  it('caps an organization with many agent tokens at its quota, with 429 and Retry-After, and stores nothing more', async () => {
    const statuses: number[] = [];
    const refusals: Response[] = [];
    for (const token of busy.tokens) {
      const response = await post(token);
      statuses.push(response.status);
      if (response.status === 429) refusals.push(response);
    }
    // Every token is far below its own limit; together they pass the organization's 3 a minute.
    expect(statuses).toEqual([202, 202, 202, 429, 429]);
    const refusal = refusals[0]!;
    expect(Number(refusal.headers.get('retry-after'))).toBeGreaterThan(0);
    const error = await errorOf(refusal);
    expect(error.code).toBe('rate_limited');
    expect(error.message).toMatch(/organization sent more than 3 snapshots this minute/);
    expect(await stored(busy)).toBe(3);
  });

  it('leaves another organization unaffected', async () => {
    const response = await post(quiet.tokens[0]!);
    expect(response.status).toBe(202);
    expect(await stored(quiet)).toBe(1);
  });
});

describe('per-organization concurrent uploads', () => {
  it('refuses a second upload of the same organization while one is in progress (any token), not another organization\'s', async () => {
    const busy = await tenant('Concurrent', 2);
    const other = await tenant('Other', 1);
    const gate = new Int32Array(new SharedArrayBuffer(8));
    await replaceIntakePoolForTests(new IntakePool({ filename: GATED_WORKER, threads: 2, workerData: { gate, gatedOrganizationId: busy.org.id } }));

    const first = post(busy.tokens[0]!);
    while (Atomics.load(gate, 1) === 0) await sleep(10); // the first upload is inside its validation

    const second = await post(busy.tokens[1]!);
    expect(second.status).toBe(429);
    expect(second.headers.get('retry-after')).toBe('2');
    expect((await errorOf(second)).message).toMatch(/already has 1 snapshot uploads in progress/);
    expect((await post(other.tokens[0]!)).status).toBe(202);

    Atomics.store(gate, 0, 1);
    Atomics.notify(gate, 0);
    expect((await first).status).toBe(202);
    // The slot is free again once the first upload is answered.
    expect((await post(busy.tokens[1]!)).status).toBe(202);
    expect(await stored(busy)).toBe(2);
  });
});
