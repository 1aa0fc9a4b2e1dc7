import { createHash } from 'node:crypto';
import { AppError } from '../../platform/errors';
import { dbFor } from '../../platform/db/tenant';
import { insertSnapshotFromBase } from '../../platform/db/snapshots-sql';
import { logger } from '../../platform/log';
import type { OrgContext } from '../../platform/auth/context';
import { readBody } from './read-body';
import { UnchangedNoticeSchema } from '../../analysis/snapshot/unchanged-notice';
import { formatIssuePath } from '../../analysis/snapshot/issue-path';
import { earlierPush, parseIdempotencyKey, raceWinner, refuseFutureCollection, tryEnqueue, type IngestRequest, type IngestResult } from './ingest-snapshot';

const log = logger.child({ component: 'ingest' });

/** A notice is a few hundred bytes; anything bigger is not one. */
const MAX_NOTICE_BYTES = 4096;

function refuse(message: string, path: string, detail: string): never {
  throw new AppError('conflict', `${message}; send the full snapshot`, [{ path, message: detail }]);
}

/**
 * Accepts an agent's notice that its cluster did not change since a snapshot the server holds: a new snapshot
 * (new collection time, evaluated like any other) that reuses the base's stored body, copied inside Postgres.
 * The agent saves sending, and the server saves parsing and validating, the whole snapshot again (18 MiB of JSON
 * for 10,000 pods). 409 when the base cannot stand in for this collection (unknown to this cluster, pruned, not
 * evaluated yet, another digest, not older): the agent then sends the full snapshot.
 */
export async function ingestUnchangedNotice(ctx: OrgContext, request: IngestRequest): Promise<IngestResult> {
  if (ctx.actor.kind !== 'agent') throw new AppError('forbidden', 'Only an agent token can push snapshots');
  const clusterId = ctx.actor.clusterId;
  const { raw } = await readBody(request.body, request.contentEncoding, { maxCompressedBytes: MAX_NOTICE_BYTES, maxDecompressedBytes: MAX_NOTICE_BYTES });
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch (error) {
    throw new AppError('invalid', `Body is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = UnchangedNoticeSchema.safeParse(json);
  if (!parsed.success) {
    throw new AppError('invalid', 'Unchanged notice does not match schema version 1', parsed.error.issues.map((issue) => ({ path: formatIssuePath(issue.path) || '(body)', message: issue.message })));
  }
  const notice = parsed.data;
  refuseFutureCollection(notice.collectedAt);
  const idempotencyKey = parseIdempotencyKey(request.idempotencyKey) ?? createHash('sha256').update(raw).digest('hex');

  const db = dbFor(ctx);
  const existing = await earlierPush(db, clusterId, idempotencyKey);
  if (existing) return existing;

  // The same answer for a snapshot of another cluster (or organization) as for none: nothing about it leaks.
  const base = await db.snapshot.findFirst({
    where: { id: notice.baseSnapshotId, clusterId },
    select: { id: true, collectedAt: true, contentDigest: true, prunedAt: true, agentVersion: true },
  });
  if (!base) refuse(`Snapshot ${notice.baseSnapshotId} is not a snapshot of this cluster`, 'baseSnapshotId', 'unknown to this cluster');
  if (base.prunedAt) refuse(`Snapshot ${base.id} was pruned by retention`, 'baseSnapshotId', 'pruned');
  if (!base.contentDigest) refuse(`Snapshot ${base.id} has not been evaluated yet`, 'baseSnapshotId', 'not evaluated yet');
  if (base.contentDigest !== notice.contentDigest) refuse(`The content digest differs from snapshot ${base.id}'s`, 'contentDigest', 'does not match the base');
  const collectedAt = new Date(notice.collectedAt);
  if (collectedAt <= base.collectedAt) refuse(`collectedAt ${notice.collectedAt} is not later than the base's (${base.collectedAt.toISOString()})`, 'collectedAt', 'not later than the base');

  let snapshotId: string;
  try {
    snapshotId = await db.$transaction(async (tx) => {
      // The body is copied by Postgres: it never travels to this process.
      const row = await insertSnapshotFromBase(tx, ctx.organizationId, clusterId, { baseSnapshotId: base.id, contentDigest: notice.contentDigest, idempotencyKey, collectedAt });
      // Pruned between the check above and this statement.
      if (!row) refuse(`Snapshot ${base.id} was pruned by retention`, 'baseSnapshotId', 'pruned');
      await tx.cluster.update({ where: { id: clusterId }, data: { lastSnapshotAt: new Date(), staleSince: null } });
      return row.id;
    });
  } catch (error) {
    const winner = await raceWinner(error, db, clusterId, idempotencyKey);
    if (winner) return winner;
    throw error;
  }

  const enqueued = await tryEnqueue(ctx, snapshotId);
  log.info({ organizationId: ctx.organizationId, clusterId, snapshotId, baseSnapshotId: base.id, enqueued }, 'unchanged snapshot notice accepted');
  return { snapshotId, status: 'queued', duplicate: false, enqueued };
}
