import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryLogger } from './log';
import { Spool } from './spool';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'bulwark-spool-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const key = (n: number) => String(n).repeat(64).slice(0, 64);

describe('Spool', () => {
  it('keeps snapshots in arrival order and leaves no temp files behind', async () => {
    const spool = new Spool(dir, { maxFiles: 10, log: createMemoryLogger() });
    await spool.init();
    for (const n of [3, 1, 2]) await spool.add(Buffer.from(`body-${n}`), key(n));
    const entries = await spool.list();
    expect(entries.map((entry) => entry.idempotencyKey)).toEqual([key(3), key(1), key(2)]);
    expect((await spool.read(entries[0] ?? { name: '', idempotencyKey: '' })).toString()).toBe('body-3');
    expect((await readdir(dir)).filter((name) => name.startsWith('.tmp-'))).toEqual([]);
  });

  it('drops the oldest snapshot with a warning when full', async () => {
    const log = createMemoryLogger();
    const spool = new Spool(dir, { maxFiles: 2, log });
    await spool.init();
    for (const n of [1, 2, 3]) await spool.add(Buffer.from(`body-${n}`), key(n));
    expect((await spool.list()).map((entry) => entry.idempotencyKey)).toEqual([key(2), key(3)]);
    expect(log.entries).toContainEqual(expect.objectContaining({ level: 'warn', msg: 'spool full: dropping the oldest snapshot', idempotencyKey: key(1) }));
  });

  it('drops the oldest snapshots when the queued bytes would pass the limit', async () => {
    const spool = new Spool(dir, { maxFiles: 10, maxBytes: 250, log: createMemoryLogger() });
    await spool.init();
    for (const n of [1, 2, 3]) await spool.add(Buffer.alloc(100, n), key(n));
    expect((await spool.list()).map((entry) => entry.idempotencyKey)).toEqual([key(2), key(3)]);
  });

  it('does not queue the same content twice', async () => {
    const spool = new Spool(dir, { maxFiles: 5, log: createMemoryLogger() });
    await spool.init();
    await spool.add(Buffer.from('a'), key(1));
    await spool.add(Buffer.from('a'), key(1));
    expect(await spool.list()).toHaveLength(1);
  });

  it('clears files a crash left half-written and ignores strangers', async () => {
    await writeFile(path.join(dir, '.tmp-crashed'), 'partial');
    await writeFile(path.join(dir, 'notes.txt'), 'hello');
    const spool = new Spool(dir, { maxFiles: 5, log: createMemoryLogger() });
    await spool.init();
    expect((await readdir(dir)).sort()).toEqual(['notes.txt']);
    expect(await spool.list()).toEqual([]);
  });

  it('remembers the last accepted snapshot in an owner-only file beside the queue, and forgets it', async () => {
    const log = createMemoryLogger();
    const spool = new Spool(dir, { maxFiles: 5, log });
    await spool.init();
    expect(await spool.readLastAccepted()).toBeUndefined();
    const remembered = { snapshotId: '0f8e4b1c-2d3a-4e5f-8a6b-7c8d9e0f1a2b', digest: 'a'.repeat(64) };
    await spool.writeLastAccepted(remembered);
    expect(await spool.readLastAccepted()).toEqual(remembered);
    expect((await stat(path.join(dir, 'last-accepted.json'))).mode & 0o777).toBe(0o600);
    expect(await spool.list()).toEqual([]);
    await spool.forgetLastAccepted();
    expect(await spool.readLastAccepted()).toBeUndefined();
    expect(await readdir(dir)).toEqual([]);
    expect(log.entries).toEqual([]);
  });

  it('treats an unreadable or corrupt last-accepted file as no base, with a warning', async () => {
    const log = createMemoryLogger();
    const spool = new Spool(dir, { maxFiles: 5, log });
    await spool.init();
    await mkdir(path.join(dir, 'last-accepted.json'));
    expect(await spool.readLastAccepted()).toBeUndefined();
    await rm(path.join(dir, 'last-accepted.json'), { recursive: true });
    for (const content of ['', 'null', '[]', JSON.stringify({ snapshotId: '0f8e4b1c-2d3a-4e5f-8a6b-7c8d9e0f1a2b', digest: 'A'.repeat(64) })]) {
      await writeFile(path.join(dir, 'last-accepted.json'), content);
      expect(await spool.readLastAccepted()).toBeUndefined();
    }
    expect(log.entries.map((entry) => `${entry.level} ${entry.msg}`)).toEqual([
      'warn cannot read the last accepted snapshot; ignoring it',
      ...Array<string>(4).fill('warn ignoring a corrupt last accepted snapshot file'),
    ]);
  });
});
