import { randomUUID } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { UnchangedNoticeSchema } from '@/lib/analysis/snapshot/unchanged-notice';
import type { Logger } from './log';

export type SpooledSnapshot = { name: string; idempotencyKey: string };
/** The last snapshot the server accepted from this agent, and the snapshotBodyDigest of its content. */
export type LastAccepted = { snapshotId: string; digest: string };
export type SpoolOptions = { maxFiles: number; /** Total size of the queued files. */ maxBytes?: number; log: Logger };

export const DEFAULT_SPOOL_MAX_FILES = 50;
export const DEFAULT_SPOOL_MAX_BYTES = 128 * 1024 * 1024;

const ENTRY = /^(\d{15})-(\d{6})-([0-9a-f]{64})\.json\.gz$/;
const TEMP_PREFIX = '.tmp-';
const LAST_ACCEPTED = 'last-accepted.json';
// What the unchanged notice will carry them as: a file that doesn't fit is no base at all.
const { baseSnapshotId: SnapshotIdSchema, contentDigest: DigestSchema } = UnchangedNoticeSchema.shape;

/**
 * A bounded on-disk queue of gzipped snapshots waiting for the server. File names sort in arrival order
 * and carry the idempotency key; a file appears whole or not at all (written to a temp name, then renamed).
 * When full, the oldest snapshot goes first: the newest state of the cluster matters most.
 */
export class Spool {
  private sequence = 0;

  constructor(
    readonly directory: string,
    private readonly options: SpoolOptions,
  ) {}

  /** Creates the directory and clears temp files a crash left half-written. */
  async init(): Promise<void> {
    await mkdir(this.directory, { recursive: true, mode: 0o700 });
    const names = await readdir(this.directory);
    await Promise.all(names.filter((name) => name.startsWith(TEMP_PREFIX)).map((name) => rm(path.join(this.directory, name), { force: true })));
  }

  async list(): Promise<SpooledSnapshot[]> {
    const names = (await readdir(this.directory)).filter((name) => ENTRY.test(name)).sort();
    return names.map((name) => ({ name, idempotencyKey: ENTRY.exec(name)?.[3] ?? '' }));
  }

  /** Queues a snapshot unless one with the same content is already waiting. */
  async add(body: Uint8Array, idempotencyKey: string): Promise<SpooledSnapshot> {
    const waiting = await this.list();
    const same = waiting.find((entry) => entry.idempotencyKey === idempotencyKey);
    if (same) {
      this.options.log.debug('same snapshot already spooled', { idempotencyKey });
      return same;
    }
    const maxBytes = this.options.maxBytes ?? DEFAULT_SPOOL_MAX_BYTES;
    const sizes = await Promise.all(waiting.map(async (entry) => (await stat(path.join(this.directory, entry.name))).size));
    let total = sizes.reduce((sum, size) => sum + size, 0) + body.byteLength;
    let count = waiting.length + 1;
    for (const [index, dropped] of waiting.entries()) {
      if (count <= this.options.maxFiles && total <= maxBytes) break;
      this.options.log.warn('spool full: dropping the oldest snapshot', { idempotencyKey: dropped.idempotencyKey, maxFiles: this.options.maxFiles, maxBytes });
      await this.remove(dropped);
      count -= 1;
      total -= sizes[index] ?? 0;
    }

    this.sequence = (this.sequence + 1) % 1_000_000;
    const name = `${String(Date.now()).padStart(15, '0')}-${String(this.sequence).padStart(6, '0')}-${idempotencyKey}.json.gz`;
    await this.writeWhole(name, body);
    return { name, idempotencyKey };
  }

  read(entry: SpooledSnapshot): Promise<Buffer> {
    return readFile(path.join(this.directory, entry.name));
  }

  async remove(entry: SpooledSnapshot): Promise<void> {
    await rm(path.join(this.directory, entry.name), { force: true });
  }

  /**
   * The last snapshot the server accepted (kept in `last-accepted.json` beside the queue), or undefined when there
   * is none. A file that can't be read or doesn't hold a snapshot id and a digest is logged and ignored: the agent
   * then sends the whole snapshot, which is always safe.
   */
  async readLastAccepted(): Promise<LastAccepted | undefined> {
    let text: string;
    try {
      text = await readFile(path.join(this.directory, LAST_ACCEPTED), 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') this.options.log.warn('cannot read the last accepted snapshot; ignoring it', { file: LAST_ACCEPTED, code: code ?? (error as Error).message });
      return undefined;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      value = null;
    }
    const record = value as { snapshotId?: unknown; digest?: unknown } | null;
    const snapshotId = SnapshotIdSchema.safeParse(record?.snapshotId);
    const digest = DigestSchema.safeParse(record?.digest);
    if (snapshotId.success && digest.success) return { snapshotId: snapshotId.data, digest: digest.data };
    this.options.log.warn('ignoring a corrupt last accepted snapshot file', { file: LAST_ACCEPTED });
    return undefined;
  }

  /** Remembers the last snapshot the server accepted; the file appears whole or not at all. */
  async writeLastAccepted(value: LastAccepted): Promise<void> {
    await this.writeWhole(LAST_ACCEPTED, Buffer.from(JSON.stringify({ snapshotId: value.snapshotId, digest: value.digest })));
  }

  async forgetLastAccepted(): Promise<void> {
    await rm(path.join(this.directory, LAST_ACCEPTED), { force: true });
  }

  /** Writes to a temp name (which init() clears after a crash), syncs, then renames into place; owner-only. */
  private async writeWhole(name: string, data: Uint8Array): Promise<void> {
    const temp = path.join(this.directory, `${TEMP_PREFIX}${randomUUID()}`);
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path.join(this.directory, name));
  }
}
