import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { z } from 'zod';
import { AppError } from '../errors';
import { env } from '../env';
import { dbFor, type TenantDb } from '../db/tenant';
import { Prisma } from '../db/client';
import { parseSnapshot } from '../snapshot/parse';
import { RESOURCE_NAMES, type Snapshot } from '../snapshot/schema';
import { enqueueEvaluation } from '../queue/producers';
import { logger } from '../log';
import type { OrgContext } from '../auth/context';
import { readBody } from './read-body';

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

  const { raw, compressed } = await readBody(request.body, request.contentEncoding, {
    maxCompressedBytes: env().INGEST_MAX_COMPRESSED_BYTES,
    maxDecompressedBytes: env().INGEST_MAX_DECOMPRESSED_BYTES,
  });
  const contentSha256 = createHash('sha256').update(raw).digest('hex');
  const key = idempotencyKey ?? contentSha256;
  const db = dbFor(ctx);

  const existing = await earlierPush(db, clusterId, key);
  if (existing) return existing;

  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch (error) {
    throw new AppError('invalid', `Body is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = parseSnapshot(json);
  if (!parsed.ok) throw new AppError('invalid', 'Snapshot does not match schema version 1', parsed.issues);
  const snapshot = parsed.snapshot;

  const cluster = await db.cluster.findUnique({ where: { id: clusterId }, select: { id: true, name: true, kubeSystemUid: true } });
  if (!cluster) throw new AppError('unauthenticated', 'Invalid or revoked agent token');
  // A token is bound to one cluster: a snapshot of another cluster pushed with it would mix two clusters' findings.
  if (cluster.kubeSystemUid && snapshot.cluster.provider !== 'offline' && cluster.kubeSystemUid !== snapshot.cluster.uid) {
    throw new AppError('conflict', `This token belongs to cluster "${cluster.name}", but the snapshot comes from a different cluster (kube-system uid ${snapshot.cluster.uid})`, [{ path: 'cluster.uid', message: 'does not match the cluster this token was issued for' }]);
  }

  const body = compressed ?? gzipSync(raw);
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
          rawBytes: raw.length,
          objectCounts: objectCounts(snapshot),
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
  log.info({ organizationId: ctx.organizationId, clusterId, snapshotId, rawBytes: raw.length, enqueued }, 'snapshot accepted');
  return { snapshotId, status: 'queued', duplicate: false, enqueued };
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

function objectCounts(snapshot: Snapshot): Record<string, number> {
  return Object.fromEntries(RESOURCE_NAMES.map((name) => [name, snapshot.objects[name].length]));
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
