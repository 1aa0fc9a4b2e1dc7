import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { snapshotIdempotencyKey } from '@/lib/analysis/snapshot/build';
import { acceptAll, freePort, startFakeBulwark, type FakeBulwark } from '../test/fake-bulwark';
import { testSnapshot } from '../test/snapshots';
import { createMemoryLogger } from './log';
import { encodeSnapshot, parseRetryAfter, pushWithRetry, SnapshotTooLargeError, type PushConfig } from './push';

let server: FakeBulwark | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function config(url: string, overrides: Partial<PushConfig> = {}) {
  const sleeps: number[] = [];
  const log = createMemoryLogger();
  const pushConfig: PushConfig = {
    server: url,
    token: 'agent-token-123',
    log,
    maxAttempts: 4,
    baseDelayMs: 5,
    maxDelayMs: 20,
    timeoutMs: 2000,
    sleep: async (ms) => void sleeps.push(ms),
    ...overrides,
  };
  return { pushConfig, sleeps, log };
}

describe('pushWithRetry', () => {
  it('sends gzipped JSON with the bearer token and the content hash as idempotency key', async () => {
    server = await startFakeBulwark(acceptAll());
    const snapshot = testSnapshot('shop');
    const { body, idempotencyKey, json } = encodeSnapshot(snapshot);
    const outcome = await pushWithRetry(body, idempotencyKey, config(server.url).pushConfig);

    expect(outcome).toEqual({ kind: 'delivered', status: 202, body: { snapshotId: `snap-${idempotencyKey.slice(0, 8)}`, status: 'queued' } });
    const [request] = server.received;
    expect(request?.headers).toMatchObject({
      authorization: 'Bearer agent-token-123',
      'content-encoding': 'gzip',
      'content-type': 'application/json',
      'idempotency-key': snapshotIdempotencyKey(snapshot),
    });
    expect(request?.body).toEqual(snapshot);
    expect(gunzipSync(body).toString()).toBe(json);
  });

  it('retries 503s with growing, jittered delays until the server recovers', async () => {
    server = await startFakeBulwark(({ index }) => (index < 2 ? { status: 503, body: { error: { code: 'unavailable', message: 'queue down' } } } : { status: 202, body: { snapshotId: 's1' } }));
    const { body, idempotencyKey } = encodeSnapshot(testSnapshot('a'));
    const { pushConfig, sleeps } = config(server.url, { random: () => 0.99 });
    expect(await pushWithRetry(body, idempotencyKey, pushConfig)).toMatchObject({ kind: 'delivered', status: 202 });
    expect(server.received.map((request) => request.answeredWith)).toEqual([503, 503, 202]);
    expect(sleeps).toEqual([4, 9]); // full jitter: random() * min(maxDelay, base * 2^attempt)
  });

  it('waits as long as a 429 Retry-After asks', async () => {
    server = await startFakeBulwark(({ index }) => (index === 0 ? { status: 429, headers: { 'Retry-After': '1' } } : { status: 202, body: {} }));
    const { body, idempotencyKey } = encodeSnapshot(testSnapshot('a'));
    const { pushConfig, sleeps } = config(server.url);
    expect(await pushWithRetry(body, idempotencyKey, pushConfig)).toMatchObject({ kind: 'delivered' });
    expect(sleeps).toEqual([1000]);
  });

  it('does not retry a 400 and surfaces the server message', async () => {
    server = await startFakeBulwark(() => ({ status: 400, body: { error: { code: 'invalid', message: 'objects.pods[0].metadata: Required' } } }));
    const { body, idempotencyKey } = encodeSnapshot(testSnapshot('a'));
    const outcome = await pushWithRetry(body, idempotencyKey, config(server.url).pushConfig);
    expect(outcome).toEqual({ kind: 'rejected', status: 400, message: 'invalid: objects.pods[0].metadata: Required' });
    expect(server.received).toHaveLength(1);
  });

  it('gives up after the last attempt when nobody listens', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const { body, idempotencyKey } = encodeSnapshot(testSnapshot('a'));
    const { pushConfig, sleeps } = config(url, { maxAttempts: 3 });
    expect(await pushWithRetry(body, idempotencyKey, pushConfig)).toEqual({ kind: 'unavailable', reason: 'ECONNREFUSED', attempts: 3 });
    expect(sleeps).toHaveLength(2);
  });

  it('stops waiting when the agent is told to stop', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const controller = new AbortController();
    const { body, idempotencyKey } = encodeSnapshot(testSnapshot('a'));
    const { pushConfig } = config(url, { signal: controller.signal, sleep: async () => controller.abort() });
    expect(await pushWithRetry(body, idempotencyKey, pushConfig)).toEqual({ kind: 'aborted' });
  });
});

describe('encodeSnapshot', () => {
  it('refuses a snapshot over the compressed size limit before sending it', () => {
    expect(() => encodeSnapshot(testSnapshot('a'), 10)).toThrow(SnapshotTooLargeError);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('7')).toBe(7000);
    expect(parseRetryAfter('Thu, 01 May 2025 10:00:30 GMT', Date.parse('2025-05-01T10:00:00Z'))).toBe(30_000);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});
