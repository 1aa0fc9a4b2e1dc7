import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acceptAll, startFakeBulwark, type FakeBulwark } from '../test/fake-bulwark';
import { testSnapshot } from '../test/snapshots';
import { createMemoryLogger } from './log';
import { runAgent } from './run';
import { Spool } from './spool';

let dir: string;
let server: FakeBulwark | undefined;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'bulwark-run-'));
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i += 1) await new Promise((resolve) => setTimeout(resolve, 5));
  if (!condition()) throw new Error('condition not met in time');
}

describe('runAgent', () => {
  it('pushes each round, logs a heartbeat, and stops cleanly when told to (SIGTERM)', async () => {
    server = await startFakeBulwark(acceptAll());
    const log = createMemoryLogger();
    const spool = new Spool(dir, { maxFiles: 5, log });
    await spool.init();
    const controller = new AbortController();
    let round = 0;
    const running = runAgent({
      intervalMs: 20,
      makeSnapshot: async () => ({ snapshot: testSnapshot(`round-${(round += 1)}`) }),
      spool,
      push: { server: server.url, token: 't', log, maxAttempts: 1 },
      log,
      signal: controller.signal,
    });
    await until(() => log.entries.filter((entry) => entry.msg === 'heartbeat').length >= 2);
    controller.abort();
    await running;

    expect(server.received.length).toBeGreaterThanOrEqual(2);
    expect(log.entries.find((entry) => entry.msg === 'heartbeat')).toMatchObject({ level: 'info', round: 1, delivered: 1, spooled: 0 });
    expect(log.entries.at(-1)).toMatchObject({ msg: 'agent stopped' });
  });

  it('survives a failed collection and tries again next round', async () => {
    server = await startFakeBulwark(acceptAll());
    const log = createMemoryLogger();
    const spool = new Spool(dir, { maxFiles: 5, log });
    await spool.init();
    let calls = 0;
    await runAgent({
      intervalMs: 1,
      makeSnapshot: async () => {
        calls += 1;
        if (calls === 1) throw new Error('kube-system unreadable');
        return { snapshot: testSnapshot('ok') };
      },
      spool,
      push: { server: server.url, token: 't', log, maxAttempts: 1 },
      log,
      signal: new AbortController().signal,
      maxRounds: 2,
    });
    expect(log.entries).toContainEqual(expect.objectContaining({ level: 'error', msg: 'round failed', message: 'kube-system unreadable' }));
    expect(server.received).toHaveLength(1);
  });
});
