import type { Snapshot } from '@/lib/snapshot/schema';
import { encodeSnapshot, pushWithRetry, type PushConfig } from './push';
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

/** Spools a snapshot first (so a crash or SIGTERM can't lose it), then delivers everything waiting, in order. */
export async function deliverSnapshot(snapshot: Snapshot, spool: Spool, config: PushConfig): Promise<DrainResult & { idempotencyKey: string }> {
  const { body, idempotencyKey } = encodeSnapshot(snapshot);
  await spool.add(body, idempotencyKey);
  return { ...(await drainSpool(spool, config)), idempotencyKey };
}
