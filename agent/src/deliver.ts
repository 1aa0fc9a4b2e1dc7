import { snapshotBodyDigest, snapshotIdempotencyKey } from '@/lib/analysis/snapshot/build';
import type { Snapshot } from '@/lib/analysis/snapshot/schema';
import { UnchangedNoticeSchema, type UnchangedNotice } from '@/lib/analysis/snapshot/unchanged-notice';
import { encodeSnapshot, pushUnchangedNotice, pushWithRetry, type PushConfig } from './push';
import type { Spool } from './spool';

export type DrainResult = {
  delivered: Array<{ idempotencyKey: string; status: number; body: unknown }>;
  rejected: Array<{ idempotencyKey: string; status: number; message: string }>;
  /** Snapshots still waiting in the spool. */
  remaining: number;
  /** Why delivery stopped before the spool was empty. */
  stoppedBy?: 'unavailable' | 'unauthorized' | 'aborted';
};

const snapshotIdOf = (body: unknown): string | undefined => {
  const id = (body as { snapshotId?: unknown } | null)?.snapshotId;
  return typeof id === 'string' ? id : undefined;
};

/**
 * Sends every spooled snapshot, oldest first, each removed only once the server took it. Delivery stops
 * at the first snapshot the server can't take now (down, or the token refused) so order is kept; a
 * snapshot refused for its content (400, 413, 422) is dropped with its error, since resending can't help.
 */
export async function drainSpool(spool: Spool, config: PushConfig): Promise<DrainResult> {
  const result: DrainResult = { delivered: [], rejected: [], remaining: 0 };
  const entries = await spool.list();
  for (const [index, entry] of entries.entries()) {
    const { idempotencyKey } = entry;
    const outcome = await pushWithRetry(await spool.read(entry), idempotencyKey, config);
    if (outcome.kind === 'delivered') {
      await spool.remove(entry);
      result.delivered.push({ idempotencyKey, status: outcome.status, body: outcome.body });
      config.log.info(outcome.status === 200 ? 'snapshot already known to the server' : 'snapshot delivered', {
        idempotencyKey,
        status: outcome.status,
        snapshotId: snapshotIdOf(outcome.body),
      });
      continue;
    }
    if (outcome.kind === 'rejected') {
      result.rejected.push({ idempotencyKey, status: outcome.status, message: outcome.message });
      if (outcome.status === 401 || outcome.status === 403) {
        config.log.error('the server refused the agent token; snapshots stay spooled', { status: outcome.status, message: outcome.message });
        result.stoppedBy = 'unauthorized';
      } else {
        config.log.error('the server rejected a snapshot; it is dropped', { idempotencyKey, status: outcome.status, message: outcome.message });
        await spool.remove(entry);
        continue;
      }
    } else if (outcome.kind === 'unavailable') {
      config.log.warn('server unavailable; snapshots stay spooled', { reason: outcome.reason, attempts: outcome.attempts, waiting: entries.length - index });
      result.stoppedBy = 'unavailable';
    } else {
      result.stoppedBy = 'aborted';
    }
    break;
  }
  result.remaining = (await spool.list()).length;
  return result;
}

type Delivery = DrainResult & { idempotencyKey: string };

/** Remembers the snapshot the server just accepted as the next base, or forgets the base when its id is unusable. */
async function rememberAccepted(spool: Spool, body: unknown, digest: string, config: PushConfig): Promise<void> {
  const snapshotId = snapshotIdOf(body);
  try {
    if (snapshotId !== undefined && UnchangedNoticeSchema.shape.baseSnapshotId.safeParse(snapshotId).success) {
      await spool.writeLastAccepted({ snapshotId, digest });
    } else {
      config.log.warn('the server answer names no snapshot id; the next snapshot goes in full', { snapshotId });
      await spool.forgetLastAccepted();
    }
  } catch (error) {
    // Only a later notice is lost: without a usable base the agent sends in full, and a stale base gets a 409.
    config.log.warn('cannot remember the accepted snapshot', { message: (error as Error).message });
  }
}

/**
 * Tries the unchanged notice: when nothing waits in the spool and this collection's digest equals the last accepted
 * snapshot's. Returns the round's result when the server took the notice, or undefined when the snapshot must take
 * the full path instead (no base, another digest, a 409, any other refusal, server down, or the agent stopping,
 * whose collection is then spooled like any other).
 */
async function tryUnchangedNotice(snapshot: Snapshot, digest: string, spool: Spool, config: PushConfig): Promise<Delivery | undefined> {
  if ((await spool.list()).length > 0) return undefined;
  const base = await spool.readLastAccepted();
  if (!base || base.digest !== digest) return undefined;

  const idempotencyKey = snapshotIdempotencyKey(snapshot);
  const notice: UnchangedNotice = { schemaVersion: 1, baseSnapshotId: base.snapshotId, contentDigest: digest, collectedAt: snapshot.collectedAt };
  const outcome = await pushUnchangedNotice(notice, idempotencyKey, config);
  if (outcome.kind === 'delivered') {
    await rememberAccepted(spool, outcome.body, digest, config);
    config.log.info('unchanged snapshot notice delivered', {
      idempotencyKey,
      status: outcome.status,
      snapshotId: snapshotIdOf(outcome.body),
      baseSnapshotId: base.snapshotId,
    });
    return { delivered: [{ idempotencyKey, status: outcome.status, body: outcome.body }], rejected: [], remaining: 0, idempotencyKey };
  }
  if (outcome.kind === 'aborted') return undefined;
  if (outcome.kind === 'rejected' && outcome.status === 409) {
    config.log.info('server cannot use the base snapshot; sending the full snapshot', { idempotencyKey, baseSnapshotId: base.snapshotId, message: outcome.message });
  } else if (outcome.kind === 'rejected') {
    config.log.warn('the server refused the unchanged notice; sending the full snapshot', { idempotencyKey, status: outcome.status, message: outcome.message });
  } else {
    config.log.warn('server unavailable for the unchanged notice; sending the full snapshot', { idempotencyKey, reason: outcome.reason, attempts: outcome.attempts });
  }
  return undefined;
}

/**
 * Delivers one collection. When the cluster did not change since the last snapshot the server accepted (and nothing
 * older waits), a notice of a few hundred bytes names that snapshot instead of sending it all again. Otherwise, or
 * when the notice doesn't go through, the snapshot is spooled first (so a crash or SIGTERM can't lose it), then
 * everything waiting is delivered, in order. The snapshot this round delivers becomes the next base.
 */
export async function deliverSnapshot(snapshot: Snapshot, spool: Spool, config: PushConfig): Promise<Delivery> {
  const digest = snapshotBodyDigest(snapshot);
  if (config.unchangedNotice !== false) {
    const noticed = await tryUnchangedNotice(snapshot, digest, spool, config);
    if (noticed) return noticed;
  }
  const { body, idempotencyKey } = encodeSnapshot(snapshot);
  await spool.add(body, idempotencyKey);
  if (config.signal?.aborted) return { delivered: [], rejected: [], remaining: (await spool.list()).length, stoppedBy: 'aborted', idempotencyKey };
  const result = await drainSpool(spool, config);
  const mine = result.delivered.find((delivery) => delivery.idempotencyKey === idempotencyKey);
  if (mine) await rememberAccepted(spool, mine.body, digest, config);
  return { ...result, idempotencyKey };
}
