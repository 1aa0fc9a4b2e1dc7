import type { TenantTx } from './tenant';

/**
 * A new snapshot row that re-evaluates a stored one after a node report changed (issue 21): the body, sizes,
 * counts and digest are copied by Postgres from the base (as for an unchanged notice, snapshots-sql.ts), with a
 * collection time 1 ms after the base's so the pipeline orders it after it. Returns null when the base is gone
 * (another organization's or cluster's, or pruned). Organization first, like every function here.
 */
export async function insertReevaluationSnapshot(
  tx: TenantTx,
  organizationId: string,
  clusterId: string,
  snapshot: { baseSnapshotId: string; idempotencyKey: string },
): Promise<{ id: string } | null> {
  const { baseSnapshotId, idempotencyKey } = snapshot;
  const [row] = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO "Snapshot" ("organizationId", "clusterId", "idempotencyKey", "contentSha256", "collectedAt", "schemaVersion", "agentVersion",
      "body", "compressedBytes", "rawBytes", "objectCounts", "collection", "contentDigest", "baseSnapshotId")
    SELECT b."organizationId", b."clusterId", ${idempotencyKey}, b."contentSha256", b."collectedAt" + interval '1 millisecond', b."schemaVersion", b."agentVersion",
      b."body", b."compressedBytes", b."rawBytes", b."objectCounts", b."collection", b."contentDigest", b."id"
    FROM "Snapshot" b
    WHERE b."organizationId" = ${organizationId}::uuid AND b."id" = ${baseSnapshotId}::uuid AND b."clusterId" = ${clusterId}::uuid
      AND b."body" IS NOT NULL
    RETURNING "id"::text AS "id"`;
  return row ?? null;
}
