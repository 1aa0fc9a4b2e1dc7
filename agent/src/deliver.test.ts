import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acceptAll, freePort, startFakeBulwark, type FakeBulwark, type Responder } from '../test/fake-bulwark';
import { namespaceOf, testSnapshot } from '../test/snapshots';
import { deliverSnapshot, drainSpool } from './deliver';
import { createMemoryLogger } from './log';
import type { PushConfig } from './push';
import { Spool } from './spool';

let dir: string;
let server: FakeBulwark | undefined;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'bulwark-deliver-'));
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function setup(url: string, maxFiles = 10) {
  const log = createMemoryLogger();
  const spool = new Spool(dir, { maxFiles, log });
  await spool.init();
  const push: PushConfig = { server: url, token: 't', log, maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2, timeoutMs: 2000 };
  return { log, spool, push };
}

const accepted = (bulwark: FakeBulwark) => bulwark.received.filter((request) => request.answeredWith === 202).map((request) => namespaceOf(request.body));

describe('delivering snapshots', () => {
  it('spools while the server is unreachable and delivers every snapshot once, in order, when it is back', async () => {
    const port = await freePort();
    const { spool, push } = await setup(`http://127.0.0.1:${port}`);
    for (const name of ['first', 'second', 'third']) {
      const result = await deliverSnapshot(testSnapshot(name), spool, push);
      expect(result.stoppedBy).toBe('unavailable');
    }
    expect(await spool.list()).toHaveLength(3);

    server = await startFakeBulwark(acceptAll(), port);
    const result = await deliverSnapshot(testSnapshot('fourth'), spool, push);
    expect(accepted(server)).toEqual(['first', 'second', 'third', 'fourth']);
    expect(server.received).toHaveLength(4);
    expect(result).toMatchObject({ remaining: 0, rejected: [] });
    expect(result.delivered.map((delivery) => delivery.status)).toEqual([202, 202, 202, 202]);
  });

  it('keeps order through a run of 503s and 429s', async () => {
    let failures = 5;
    const accept = acceptAll();
    const respond: Responder = (request) => {
      if (failures-- > 0) return failures % 2 === 0 ? { status: 503 } : { status: 429, headers: { 'Retry-After': '0' } };
      return accept(request);
    };
    server = await startFakeBulwark(respond);
    const { spool, push } = await setup(server.url);
    await deliverSnapshot(testSnapshot('one'), spool, push);
    await deliverSnapshot(testSnapshot('two'), spool, push);
    const last = await deliverSnapshot(testSnapshot('three'), spool, push);
    expect(accepted(server)).toEqual(['one', 'two', 'three']);
    expect(last.remaining).toBe(0);
  });

  it('drops a snapshot the server rejects for its content, logs why, and goes on with the next', async () => {
    const accept = acceptAll();
    server = await startFakeBulwark((request) =>
      namespaceOf(request.body) === 'bad' ? { status: 400, body: { error: { code: 'invalid', message: 'collectedAt: Invalid ISO datetime' } } } : accept(request),
    );
    const { spool, push, log } = await setup(`http://127.0.0.1:${await freePort()}`);
    await deliverSnapshot(testSnapshot('bad'), spool, push);
    const result = await drainSpool(spool, { ...push, server: server.url });
    await deliverSnapshot(testSnapshot('good'), spool, { ...push, server: server.url });

    expect(result.rejected).toEqual([{ idempotencyKey: expect.any(String), status: 400, message: 'invalid: collectedAt: Invalid ISO datetime' }]);
    expect(accepted(server)).toEqual(['good']);
    expect(await spool.list()).toEqual([]);
    expect(log.entries).toContainEqual(expect.objectContaining({ level: 'error', status: 400, message: 'invalid: collectedAt: Invalid ISO datetime' }));
  });

  it('keeps snapshots spooled when the server refuses the token', async () => {
    server = await startFakeBulwark(() => ({ status: 401, body: { error: { code: 'unauthenticated', message: 'unknown agent token' } } }));
    const { spool, push } = await setup(server.url);
    const result = await deliverSnapshot(testSnapshot('kept'), spool, push);
    expect(result).toMatchObject({ stoppedBy: 'unauthorized', remaining: 1 });
    expect(server.received).toHaveLength(1);
  });

  it('answers the same collection sent twice with the duplicate status and keeps nothing', async () => {
    server = await startFakeBulwark(acceptAll());
    const { spool, push } = await setup(server.url);
    await deliverSnapshot(testSnapshot('same'), spool, push);
    const again = await deliverSnapshot(testSnapshot('same'), spool, push);
    expect(again.delivered.map((delivery) => delivery.status)).toEqual([200]);
    expect(server.received.map((request) => request.idempotencyKey)[0]).toBe(server.received[1]?.idempotencyKey);
  });
});
