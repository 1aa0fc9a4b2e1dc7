import type { TenantDb } from './tenant';
import type { FindingStatus, Severity } from './client';

/**
 * Each cluster's latest score for each of `frameworkIds` (the organization's: its CIS version, ISO, NSA, chosen by
 * the dashboard service): one backward index probe per (cluster, framework) on
 * ScorePoint (organizationId, frameworkId, clusterId, at). A DISTINCT ON over all points read every point of
 * the organization (hundreds of ms at 90 days of hourly points; bench/EXPLAIN.md).
 */
export function latestClusterScores(db: TenantDb, organizationId: string, frameworkIds: readonly string[]) {
  return db.$queryRaw<{ clusterId: string; frameworkId: string; score: number }[]>`
    SELECT c.id::text AS "clusterId", f.id AS "frameworkId", s.score
    FROM "Cluster" c
    CROSS JOIN unnest(${[...frameworkIds]}::text[]) AS f(id)
    CROSS JOIN LATERAL (
      SELECT sp.score FROM "ScorePoint" sp
      WHERE sp."organizationId" = c."organizationId" AND sp."frameworkId" = f.id AND sp."clusterId" = c.id
      ORDER BY sp.at DESC LIMIT 1
    ) s
    WHERE c."organizationId" = ${organizationId}::uuid`;
}

/** The status of each cluster's most recent snapshot (one backward probe per cluster). */
export function latestSnapshotStatuses(db: TenantDb, organizationId: string) {
  return db.$queryRaw<{ clusterId: string; status: string }[]>`
    SELECT c.id::text AS "clusterId", s.status
    FROM "Cluster" c
    CROSS JOIN LATERAL (
      SELECT sn.status::text AS status FROM "Snapshot" sn
      WHERE sn."organizationId" = c."organizationId" AND sn."clusterId" = c.id
      ORDER BY sn."collectedAt" DESC LIMIT 1
    ) s
    WHERE c."organizationId" = ${organizationId}::uuid`;
}

export type FindingCount = { clusterId: string; controlId: string; severity: Severity; status: FindingStatus; total: number };

/**
 * The organization's unresolved findings counted per (cluster, control, severity, status), from the tally the
 * database keeps (migration 20261123190000_finding_tally): a few hundred rows whatever the number of findings.
 */
export function unresolvedFindingCounts(db: TenantDb, organizationId: string) {
  return db.$queryRaw<FindingCount[]>`
    SELECT "clusterId"::text AS "clusterId", "controlId", severity::text AS severity, status::text AS status, sum(n)::int AS total
    FROM "FindingTally"
    WHERE "organizationId" = ${organizationId}::uuid AND status = ANY(ARRAY['OPEN', 'ACKNOWLEDGED', 'RISK_ACCEPTED']::"FindingStatus"[])
    GROUP BY "clusterId", "controlId", severity, status
    HAVING sum(n) > 0`;
}
