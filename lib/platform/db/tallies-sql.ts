import { systemDb } from './tenant';

/**
 * Folds the delta rows the Finding triggers append into one row per group (migration
 * 20261123190000_finding_tally), for every organization that has deltas, and drops the rows of organizations
 * that no longer exist. One statement: it deletes the rows it sees and inserts their sums, so a delta appended
 * while it runs (not visible to it) is neither deleted nor counted twice, and readers see the tally before or
 * after, never between. Runs as the system (across organizations).
 * Returns how many rows it folded and how many it left.
 */
export async function foldFindingTallies(): Promise<{ folded: number; kept: number }> {
  const [row] = await systemDb().$queryRaw<{ folded: number; kept: number }[]>`
    WITH orgs AS (
      SELECT DISTINCT "organizationId" AS id FROM "FindingTally" WHERE NOT "compacted"
    ), gone AS (
      DELETE FROM "FindingTally" t USING orgs WHERE t."organizationId" = orgs.id
      RETURNING t."organizationId", t."clusterId", t."controlId", t."severity", t."status", t."n"
    ), kept AS (
      INSERT INTO "FindingTally" ("organizationId", "clusterId", "controlId", "severity", "status", "n", "compacted")
      SELECT g."organizationId", g."clusterId", g."controlId", g."severity", g."status", sum(g.n), true
      FROM gone g
      WHERE EXISTS (SELECT 1 FROM "Organization" o WHERE o.id = g."organizationId")
      GROUP BY 1, 2, 3, 4, 5
      HAVING sum(g.n) <> 0
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM gone)::int AS folded, (SELECT count(*) FROM kept)::int AS kept`;
  return row ?? { folded: 0, kept: 0 };
}
