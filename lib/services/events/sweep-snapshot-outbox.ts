import { systemDb } from '../../platform/db/tenant';
import { tryEnqueue } from '../ingest/ingest-snapshot';
import { logger } from '../../platform/log';

const log = logger.child({ component: 'outbox' });
const LOST_JOB_AFTER_MS = 5 * 60_000;

/**
 * The snapshot outbox (Snapshot rows still QUEUED), the ingest side's twin of the DomainEvent outbox: enqueues
 * snapshots that were stored while Redis was unavailable. Safe to run anywhere and repeatedly: the job id is
 * the snapshot id, so a snapshot already in the queue is not added twice.
 */
export async function sweepSnapshotOutbox(limit = 500, now: Date = new Date()): Promise<number> {
  // Cross-tenant by design: the outbox is one table; each row is then enqueued in its own org's scope.
  // Rows enqueued long ago but still QUEUED are offered again: Redis may have lost the job (a restart without
  // persistence). Adding a job whose id is still in the queue is a no-op, so this never doubles work.
  const pending = await systemDb().snapshot.findMany({
    where: { status: 'QUEUED', OR: [{ enqueuedAt: null }, { enqueuedAt: { lt: new Date(now.getTime() - LOST_JOB_AFTER_MS) } }] },
    orderBy: { receivedAt: 'asc' },
    take: limit,
    select: { id: true, organizationId: true },
  });
  let enqueued = 0;
  for (const row of pending) {
    if (await tryEnqueue({ organizationId: row.organizationId }, row.id)) enqueued += 1;
    else break; // Redis is still down; the next sweep tries again.
  }
  if (enqueued > 0) log.info({ enqueued }, 'outbox: enqueued snapshots stored while Redis was down');
  return enqueued;
}
