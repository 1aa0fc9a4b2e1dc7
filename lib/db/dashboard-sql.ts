import type { TenantDb } from './tenant';

/** Each cluster's latest score per framework (DISTINCT ON over the organization-leading ScorePoint index). */
export function latestClusterScores(db: TenantDb, organizationId: string) {
  return db.$queryRaw<{ clusterId: string; frameworkId: string; score: number }[]>`
    SELECT DISTINCT ON ("clusterId", "frameworkId") "clusterId"::text AS "clusterId", "frameworkId", "score"
    FROM "ScorePoint" WHERE "organizationId" = ${organizationId}::uuid AND "clusterId" IS NOT NULL
    ORDER BY "clusterId", "frameworkId", "at" DESC`;
}

/** The status of each cluster's most recent snapshot. */
export function latestSnapshotStatuses(db: TenantDb, organizationId: string) {
  return db.$queryRaw<{ clusterId: string; status: string }[]>`
    SELECT DISTINCT ON ("clusterId") "clusterId"::text AS "clusterId", "status"::text AS "status"
    FROM "Snapshot" WHERE "organizationId" = ${organizationId}::uuid
    ORDER BY "clusterId", "collectedAt" DESC`;
}
