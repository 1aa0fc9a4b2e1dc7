import { z } from 'zod';
import { AppError } from '../../platform/errors';
import { env } from '../../platform/env';
import { dbFor, type TenantDb } from '../../platform/db/tenant';
import { Prisma } from '../../platform/db/client';
import { futureCollectedAtIssue } from '../../analysis/snapshot/clock-skew';
import { enqueueEvaluation } from '../../platform/queue/producers';
import { logger } from '../../platform/log';
import type { OrgContext } from '../../platform/auth/context';
import { readWire } from './read-body';
import { intakePool } from './intake-pool';

const log = logger.child({ component: 'ingest' });

export const IdempotencyKeySchema = z.string().regex(/^[A-Za-z0-9._:-]{8,128}$/, 'Idempotency-Key must be 8-128 characters of A-Z a-z 0-9 . _ : -');

/** The Idempotency-Key header, checked (400 naming the header), or null when the agent sent none. */
export function parseIdempotencyKey(header: string | null): string | null {
  if (header === null) return null;
  const parsed = IdempotencyKeySchema.safeParse(header);
  if (!parsed.success) throw new AppError('invalid', parsed.error.issues[0]?.message ?? 'Bad Idempotency-Key', [{ path: 'header:Idempotency-Key', message: 'invalid format' }]);
  return parsed.data;
}

/** The snapshot an earlier push with the same key stored, as the answer to a repeat (200 with its id). */
export async function earlierPush(db: TenantDb, clusterId: string, idempotencyKey: string): Promise<IngestResult | null> {
  const row = await db.snapshot.findFirst({ where: { clusterId, idempotencyKey }, select: { id: true, status: true } });
  return row ? { snapshotId: row.id, status: snapshotStatusName(row.status), duplicate: true, enqueued: true } : null;
}

/** When two pushes with the same key raced past earlierPush and the unique index refused the second: the first. */
export async function raceWinner(error: unknown, db: TenantDb, clusterId: string, idempotencyKey: string): Promise<IngestResult | null> {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError) || error.code !== 'P2002') return null;
  return earlierPush(db, clusterId, idempotencyKey);
}

export type IngestRequest = { body: ReadableStream<Uint8Array> | null; contentEncoding: string | null; contentType: string | null; idempotencyKey: string | null };
export type IngestResult = { snapshotId: string; status: SnapshotStatusName; duplicate: boolean; enqueued: boolean };
export type SnapshotStatusName = 'queued' | 'evaluating' | 'done' | 'failed' | 'superseded';

export function snapshotStatusName(status: string): SnapshotStatusName {
  return status.toLowerCase() as SnapshotStatusName;
}

/**
 * Accepts one snapshot from an agent: validates it completely before writing anything, stores it compressed
 * with its outbox marker in one statement, then tries to enqueue its evaluation. Redis being down does not
 * fail the push: the outbox sweeper enqueues the row when Redis returns.
 */
export async function ingestSnapshot(ctx: OrgContext, request: IngestRequest): Promise<IngestResult> {
  if (ctx.actor.kind !== 'agent') throw new AppError('forbidden', 'Only an agent token can push snapshots');
  const clusterId = ctx.actor.clusterId;
  const contentType = (request.contentType ?? 'application/json').split(';')[0]?.trim().toLowerCase();
  if (contentType !== 'application/json') {
    throw new AppError('unsupported_media_type', `Content-Type must be application/json (a snapshot) or application/vnd.bulwark.unchanged+json (a notice), got "${contentType}"`);
  }
  const idempotencyKey = parseIdempotencyKey(request.idempotencyKey);

  // Only reading the bytes happens on this thread; inflating, parsing, validating and the secret scan run in the
  // intake pool's worker threads (intake-pool.ts says why), so a slow body never holds up another request.
  const { wire, gzip } = await readWire(request.body, request.contentEncoding, env().INGEST_MAX_COMPRESSED_BYTES);
  const db = dbFor(ctx);
  // A retry with the agent's key is answered before any validation work.
  const repeat = idempotencyKey ? await earlierPush(db, clusterId, idempotencyKey) : null;
  if (repeat) return repeat;

  const validated = await intakePool().validate({ organizationId: ctx.organizationId, wire, gzip, maxDecompressedBytes: env().INGEST_MAX_DECOMPRESSED_BYTES });
  if (!validated.ok) throw new AppError(validated.code, validated.message, validated.issues);
  const { contentSha256, rawBytes, snapshot } = validated;
  const key = idempotencyKey ?? contentSha256;
  const existing = idempotencyKey ? null : await earlierPush(db, clusterId, key);
  if (existing) return existing;
  refuseFutureCollection(snapshot.collectedAt);

  const cluster = await db.cluster.findUnique({ where: { id: clusterId }, select: { id: true, name: true, kubeSystemUid: true } });
  if (!cluster) throw new AppError('unauthenticated', 'Invalid or revoked agent token');
  // A token is bound to one cluster: a snapshot of another cluster pushed with it would mix two clusters' findings.
  // An offline scan (uid "offline:<name>") is no exception once the cluster reported live: it would replace the
  // agent's view of the real cluster with manifests from anywhere. Offline scans go to a cluster of their own.
  if (cluster.kubeSystemUid && cluster.kubeSystemUid !== snapshot.cluster.uid) {
    if (snapshot.cluster.provider === 'offline' || snapshot.agent.mode === 'offline') {
      throw new AppError('conflict', `Cluster "${cluster.name}" already reports live from its agent; an offline scan cannot replace it. Push offline manifests with the token of a separate cluster`, [{ path: 'cluster.provider', message: 'offline snapshot for a cluster that reports live (kube-system uid set)' }]);
    }
    throw new AppError('conflict', `This token belongs to cluster "${cluster.name}", but the snapshot comes from a different cluster (kube-system uid ${snapshot.cluster.uid})`, [{ path: 'cluster.uid', message: 'does not match the cluster this token was issued for' }]);
  }

  const body = validated.body;
  let snapshotId: string;
  try {
    snapshotId = await db.$transaction(async (tx) => {
      const row = await tx.snapshot.create({
        data: {
          organizationId: ctx.organizationId,
          clusterId,
          idempotencyKey: key,
          contentSha256,
          collectedAt: new Date(snapshot.collectedAt),
          schemaVersion: snapshot.schemaVersion,
          agentVersion: snapshot.agent.version,
          body: new Uint8Array(body),
          compressedBytes: body.length,
          rawBytes,
          objectCounts: snapshot.objectCounts,
          collection: snapshot.collection,
        },
        select: { id: true },
      });
      await tx.cluster.update({
        where: { id: clusterId },
        data: {
          lastSnapshotAt: new Date(),
          agentVersion: snapshot.agent.version,
          serverVersion: snapshot.cluster.serverVersion ?? null,
          provider: snapshot.cluster.provider,
          staleSince: null,
          ...(cluster.kubeSystemUid || snapshot.cluster.provider === 'offline' ? {} : { kubeSystemUid: snapshot.cluster.uid }),
        },
      });
      return row.id;
    });
  } catch (error) {
    const winner = await raceWinner(error, db, clusterId, key);
    if (winner) return winner;
    throw error;
  }

  const enqueued = await tryEnqueue(ctx, snapshotId);
  log.info({ organizationId: ctx.organizationId, clusterId, snapshotId, rawBytes, enqueued }, 'snapshot accepted');
  return { snapshotId, status: 'queued', duplicate: false, enqueued };
}

/** 400 naming `collectedAt` when the collection time is further ahead of the server's clock than the allowed skew. */
export function refuseFutureCollection(collectedAt: string, now = new Date()): void {
  const issue = futureCollectedAtIssue(collectedAt, now, env().INGEST_MAX_CLOCK_SKEW_SECONDS);
  if (issue) throw new AppError('invalid', `collectedAt ${collectedAt} is in the future`, [issue]);
}

/** Enqueues and marks the outbox row; on failure leaves it for the sweeper. Never throws. */
export async function tryEnqueue(ctx: Pick<OrgContext, 'organizationId'>, snapshotId: string): Promise<boolean> {
  try {
    await enqueueEvaluation({ organizationId: ctx.organizationId, snapshotId });
    await dbFor(ctx).snapshot.update({ where: { id: snapshotId }, data: { enqueuedAt: new Date() } });
    return true;
  } catch (error) {
    log.warn({ snapshotId, err: (error as Error).message }, 'could not enqueue evaluation; the outbox sweeper will retry');
    return false;
  }
}

export async function getSnapshotStatus(ctx: OrgContext, snapshotId: string) {
  if (!z.uuid().safeParse(snapshotId).success) throw new AppError('not_found', 'Snapshot not found');
  const where = ctx.actor.kind === 'agent' ? { id: snapshotId, clusterId: ctx.actor.clusterId } : { id: snapshotId };
  const row = await dbFor(ctx).snapshot.findFirst({
    where,
    select: { id: true, clusterId: true, status: true, error: true, collectedAt: true, receivedAt: true, evaluatedAt: true, attempts: true },
  });
  if (!row) throw new AppError('not_found', 'Snapshot not found');
  return {
    snapshotId: row.id,
    clusterId: row.clusterId,
    status: snapshotStatusName(row.status),
    error: row.error,
    collectedAt: row.collectedAt.toISOString(),
    receivedAt: row.receivedAt.toISOString(),
    evaluatedAt: row.evaluatedAt?.toISOString() ?? null,
    attempts: row.attempts,
  };
}
