import type { TenantTx } from './tenant';

export type SnapshotFromBase = {
  /** the stored snapshot that stands in for the new collection */
  baseSnapshotId: string;
  /** what the base's digest must still be (checked again in the statement) */
  contentDigest: string;
  idempotencyKey: string;
  collectedAt: Date;
};

/**
 * A new snapshot row that reuses its base's stored body (an agent's "unchanged" notice): the body, sizes, object
 * counts and digest are copied by Postgres, so the body (megabytes of gzip) never travels to this process.
 * Returns the new row's id, or null when the base is not there any more: not this organization's or cluster's,
 * pruned (no body), or with another digest. Organization first, like every function here (cross-tenant test beside it).
 */
export async function insertSnapshotFromBase(tx: TenantTx, organizationId: string, clusterId: string, snapshot: SnapshotFromBase): Promise<{ id: string } | null> {
  const { baseSnapshotId, contentDigest, idempotencyKey, collectedAt } = snapshot;
  const [row] = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO "Snapshot" ("organizationId", "clusterId", "idempotencyKey", "contentSha256", "collectedAt", "schemaVersion", "agentVersion",
      "body", "compressedBytes", "rawBytes", "objectCounts", "collection", "contentDigest", "baseSnapshotId")
    SELECT b."organizationId", b."clusterId", ${idempotencyKey}, b."contentSha256", ${collectedAt}, b."schemaVersion", b."agentVersion",
      b."body", b."compressedBytes", b."rawBytes", b."objectCounts", b."collection", b."contentDigest", b."id"
    FROM "Snapshot" b
    WHERE b."organizationId" = ${organizationId}::uuid AND b."id" = ${baseSnapshotId}::uuid AND b."clusterId" = ${clusterId}::uuid
      AND b."body" IS NOT NULL AND b."contentDigest" = ${contentDigest}
    RETURNING "id"::text AS "id"`;
  return row ?? null;
}
