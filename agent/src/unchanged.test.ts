import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { snapshotBodyDigest, snapshotIdempotencyKey } from '@/lib/analysis/snapshot/build';
import { acceptAll, fakeIntake, freePort, isNotice, startFakeBulwark, type FakeBulwark, type FakeIntake } from '../test/fake-bulwark';
import { namespaceOf, testSnapshot } from '../test/snapshots';
import { deliverSnapshot } from './deliver';
import { createMemoryLogger } from './log';
import type { PushConfig } from './push';
import { Spool } from './spool';

const T1 = '2025-05-01T10:00:00Z';
const T2 = '2025-05-01T10:15:00Z';
const T3 = '2025-05-01T10:30:00Z';
const NOTICE = 'application/vnd.bulwark.unchanged+json';

let dir: string;
let server: FakeBulwark | undefined;
let intake: FakeIntake;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'bulwark-unchanged-'));
  intake = fakeIntake();
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function setup(url: string, overrides: Partial<PushConfig> = {}) {
  const log = createMemoryLogger();
  const spool = new Spool(dir, { maxFiles: 10, log });
  await spool.init();
  const push: PushConfig = { server: url, token: 't', log, maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2, timeoutMs: 2000, ...overrides };
  return { log, spool, push };
}

const lastAccepted = async () => JSON.parse(await readFile(path.join(dir, 'last-accepted.json'), 'utf8')) as unknown;
// The ids the fake intake gave, in order of acceptance.
const acceptedIds = () => [...intake.stored.keys()];
const kinds = (bulwark: FakeBulwark) => bulwark.received.map((request) => `${isNotice(request.headers) ? 'notice' : 'full'} ${request.answeredWith}`);

describe('the unchanged notice', () => {
  it('sends the first collection in full and remembers what the server accepted', async () => {
    server = await startFakeBulwark(intake.respond);
    const { spool, push } = await setup(server.url);
    const snapshot = testSnapshot('shop', T1);
    const result = await deliverSnapshot(snapshot, spool, push);

    expect(kinds(server)).toEqual(['full 202']);
    expect(server.received[0]?.headers).toMatchObject({ 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(server.received[0]?.body).toEqual(snapshot);
    const [snapshotId] = acceptedIds();
    expect(result.delivered).toEqual([{ idempotencyKey: snapshotIdempotencyKey(snapshot), status: 202, body: { snapshotId, status: 'queued', duplicate: false } }]);
    expect(await lastAccepted()).toEqual({ snapshotId, digest: snapshotBodyDigest(snapshot) });
    expect((await stat(path.join(dir, 'last-accepted.json'))).mode & 0o777).toBe(0o600);
    expect((await readdir(dir)).sort()).toEqual(['last-accepted.json']);
  });

  it('sends only the notice, with exactly the agreed headers and body, when a later collection has the same content', async () => {
    server = await startFakeBulwark(intake.respond);
    const { spool, push, log } = await setup(server.url);
    await deliverSnapshot(testSnapshot('shop', T1), spool, push);
    const [baseSnapshotId] = acceptedIds();
    const second = testSnapshot('shop', T2);
    const result = await deliverSnapshot(second, spool, push);

    expect(kinds(server)).toEqual(['full 202', 'notice 202']);
    const notice = server.received[1];
    expect(notice?.headers).toMatchObject({ authorization: 'Bearer t', 'content-type': NOTICE, 'idempotency-key': snapshotIdempotencyKey(second) });
    expect(notice?.headers).not.toHaveProperty('content-encoding');
    const digest = snapshotBodyDigest(second);
    expect(notice?.raw.toString('utf8')).toBe(`{"schemaVersion":1,"baseSnapshotId":"${baseSnapshotId}","contentDigest":"${digest}","collectedAt":"${T2}"}`);
    expect(notice?.raw.byteLength).toBeLessThan(250);

    const [, snapshotId] = acceptedIds();
    expect(result).toEqual({
      delivered: [{ idempotencyKey: snapshotIdempotencyKey(second), status: 202, body: { snapshotId, status: 'queued', duplicate: false } }],
      rejected: [],
      remaining: 0,
      idempotencyKey: snapshotIdempotencyKey(second),
    });
    expect(log.entries).toContainEqual(expect.objectContaining({ level: 'info', msg: 'unchanged snapshot notice delivered', snapshotId }));
    expect(await lastAccepted()).toEqual({ snapshotId, digest });
    expect(await spool.list()).toEqual([]);

    // The next unchanged collection names the snapshot the notice created; the same collection again is a duplicate.
    await deliverSnapshot(testSnapshot('shop', T3), spool, push);
    const again = await deliverSnapshot(testSnapshot('shop', T3), spool, push);
    expect(kinds(server)).toEqual(['full 202', 'notice 202', 'notice 202', 'notice 200']);
    expect(server.received[2]?.body).toMatchObject({ baseSnapshotId: snapshotId, collectedAt: T3 });
    expect(again.delivered.map((delivery) => delivery.status)).toEqual([200]);
  });

  it('sends the full snapshot in the same round when the server cannot use the base (409), and makes it the new base', async () => {
    server = await startFakeBulwark(intake.respond);
    const { spool, push, log } = await setup(server.url);
    await deliverSnapshot(testSnapshot('shop', T1), spool, push);
    const [pruned] = acceptedIds();
    intake.stored.delete(pruned ?? '');
    const second = testSnapshot('shop', T2);
    const result = await deliverSnapshot(second, spool, push);

    expect(kinds(server)).toEqual(['full 202', 'notice 409', 'full 202']);
    expect(server.received[2]?.body).toEqual(second);
    const [snapshotId] = acceptedIds();
    expect(result).toMatchObject({ delivered: [{ idempotencyKey: snapshotIdempotencyKey(second), status: 202, body: { snapshotId } }], rejected: [], remaining: 0 });
    expect(log.entries).toContainEqual(expect.objectContaining({ level: 'info', msg: 'server cannot use the base snapshot; sending the full snapshot', baseSnapshotId: pruned }));
    expect(await lastAccepted()).toEqual({ snapshotId, digest: snapshotBodyDigest(second) });

    await deliverSnapshot(testSnapshot('shop', T3), spool, push);
    expect(server.received[3]?.body).toMatchObject({ baseSnapshotId: snapshotId });
    expect(kinds(server).at(-1)).toBe('notice 202');
  });

  it('sends a changed snapshot in full', async () => {
    server = await startFakeBulwark(intake.respond);
    const { spool, push } = await setup(server.url);
    await deliverSnapshot(testSnapshot('shop', T1), spool, push);
    const changed = testSnapshot('shop-v2', T2);
    await deliverSnapshot(changed, spool, push);

    expect(kinds(server)).toEqual(['full 202', 'full 202']);
    expect(server.received.map((request) => namespaceOf(request.body))).toEqual(['shop', 'shop-v2']);
    expect(await lastAccepted()).toEqual({ snapshotId: acceptedIds()[1], digest: snapshotBodyDigest(changed) });
  });

  it('uses the full path while snapshots wait in the spool, so they go out in order', async () => {
    const port = await freePort();
    server = await startFakeBulwark(intake.respond, port);
    const { spool, push, log } = await setup(server.url);
    await deliverSnapshot(testSnapshot('shop', T1), spool, push);
    await server.close();

    // The server is down: the notice can't go, and the collection waits in the spool in full.
    const down = await deliverSnapshot(testSnapshot('shop', T2), spool, push);
    expect(down).toMatchObject({ stoppedBy: 'unavailable', remaining: 1 });
    expect(log.entries).toContainEqual(expect.objectContaining({ level: 'warn', msg: 'server unavailable for the unchanged notice; sending the full snapshot' }));

    server = await startFakeBulwark(intake.respond, port);
    const result = await deliverSnapshot(testSnapshot('shop', T3), spool, push);
    expect(kinds(server)).toEqual(['full 202', 'full 202']);
    expect(server.received.map((request) => (request.body as { collectedAt: string }).collectedAt)).toEqual([T2, T3]);
    expect(result).toMatchObject({ remaining: 0 });
    expect(result.delivered).toHaveLength(2);
    expect(await lastAccepted()).toEqual({ snapshotId: acceptedIds().at(-1), digest: snapshotBodyDigest(testSnapshot('shop', T3)) });
  });

  it('always sends in full when the notice is turned off', async () => {
    server = await startFakeBulwark(intake.respond);
    const { spool, push } = await setup(server.url, { unchangedNotice: false });
    for (const collectedAt of [T1, T2, T3]) await deliverSnapshot(testSnapshot('shop', collectedAt), spool, push);
    expect(kinds(server)).toEqual(['full 202', 'full 202', 'full 202']);
  });

  it.each([
    ['not JSON', '{"snapshotId": '],
    ['the wrong shape', JSON.stringify({ snapshotId: 'snap-1', digest: 'abc' })],
  ])('ignores a last-accepted file that is %s, with a warning, and sends in full', async (_, content) => {
    server = await startFakeBulwark(intake.respond);
    const { spool, push, log } = await setup(server.url);
    await writeFile(path.join(dir, 'last-accepted.json'), content);
    const snapshot = testSnapshot('shop', T2);
    const result = await deliverSnapshot(snapshot, spool, push);

    expect(kinds(server)).toEqual(['full 202']);
    expect(result.remaining).toBe(0);
    expect(log.entries).toContainEqual(expect.objectContaining({ level: 'warn', msg: 'ignoring a corrupt last accepted snapshot file' }));
    expect(await lastAccepted()).toEqual({ snapshotId: acceptedIds()[0], digest: snapshotBodyDigest(snapshot) });
  });

  it('falls back to the full snapshot when the server refuses the notice for another reason', async () => {
    const rejectNotices = (request: Parameters<FakeIntake['respond']>[0]) =>
      isNotice(request.headers) ? { status: 415, body: { error: { code: 'unsupported', message: 'unknown content type' } } } : intake.respond(request);
    server = await startFakeBulwark(rejectNotices);
    const { spool, push, log } = await setup(server.url);
    await deliverSnapshot(testSnapshot('shop', T1), spool, push);
    const result = await deliverSnapshot(testSnapshot('shop', T2), spool, push);

    expect(kinds(server)).toEqual(['full 202', 'notice 415', 'full 202']);
    expect(result).toMatchObject({ rejected: [], remaining: 0 });
    expect(log.entries).toContainEqual(expect.objectContaining({ level: 'warn', msg: 'the server refused the unchanged notice; sending the full snapshot', status: 415 }));
  });

  it('retries the notice like a snapshot, and spools the collection when the agent is stopped meanwhile', async () => {
    const controller = new AbortController();
    let noticeFailures = 1;
    server = await startFakeBulwark((request) => (isNotice(request.headers) && noticeFailures-- > 0 ? { status: 503 } : intake.respond(request)));
    const { spool, push } = await setup(server.url, { maxAttempts: 3 });
    await deliverSnapshot(testSnapshot('shop', T1), spool, push);
    await deliverSnapshot(testSnapshot('shop', T2), spool, push);
    expect(kinds(server)).toEqual(['full 202', 'notice 503', 'notice 202']);

    noticeFailures = 1;
    const stopped = await deliverSnapshot(testSnapshot('shop', T3), spool, { ...push, signal: controller.signal, sleep: async () => controller.abort() });
    expect(stopped).toMatchObject({ delivered: [], stoppedBy: 'aborted', remaining: 1 });
    expect((await spool.list()).map((entry) => entry.idempotencyKey)).toEqual([snapshotIdempotencyKey(testSnapshot('shop', T3))]);
    expect(kinds(server)).toEqual(['full 202', 'notice 503', 'notice 202', 'notice 503']);
  });

  it('forgets the base when the server answer names no snapshot id', async () => {
    server = await startFakeBulwark(intake.respond);
    const { spool, push } = await setup(server.url);
    await deliverSnapshot(testSnapshot('shop', T1), spool, push);
    await server.close();
    server = await startFakeBulwark(acceptAll()); // answers snapshotId "snap-…", not a snapshot id a notice can name
    const result = await deliverSnapshot(testSnapshot('shop-v2', T2), spool, { ...push, server: server.url });
    expect(result.delivered).toHaveLength(1);
    expect(await readdir(dir)).toEqual([]);
  });
});
