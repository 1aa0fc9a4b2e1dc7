-- Read-path indexes, from EXPLAIN (ANALYZE, BUFFERS) of the dashboard and findings-list queries at 1,000,000
-- findings over 100 organizations (`npm run bench`; plans in bench/EXPLAIN.md). Written by hand. Every index
-- leads with organizationId, so each reads one organization's entries only.

-- Findings sorted by due date (and "overdue, by due date"): an ordered index scan that stops after one page,
-- instead of sorting every finding of the organization.
CREATE INDEX "Finding_organizationId_dueAt_id_idx" ON "Finding"("organizationId", "dueAt", "id");

-- Dashboard: open findings per severity, and open critical/high per cluster, from the index alone
-- (an index-only scan instead of fetching every matching row from the heap).
CREATE INDEX "Finding_organizationId_status_severity_clusterId_idx" ON "Finding"("organizationId", "status", "severity", "clusterId");

-- Dashboard: the organization-wide score of a framework is its newest point. Read backwards from the newest
-- point of the framework, skipping the few cluster points in between; the (organizationId, frameworkId,
-- clusterId, at) index cannot give that order, because "clusterId" IS NULL is not an equality to the planner.
CREATE INDEX "ScorePoint_organizationId_frameworkId_at_idx" ON "ScorePoint"("organizationId", "frameworkId", "at");

-- Search and the namespace filter. The trigram index of 20261123154712_integrity covered every organization, so
-- a search read every organization's matches before filtering on one; and `q` also matches the namespace,
-- which it did not cover, so the planner scanned the organization's findings instead. btree_gin lets a GIN
-- index lead with organizationId; the same index also answers namespace equality. Same name, so the comment
-- in lib/db/findings-list-sql.ts still points at it. Not expressible as @@index (an expression column).
CREATE EXTENSION IF NOT EXISTS btree_gin;
DROP INDEX "Finding_search_trgm";
CREATE INDEX "Finding_search_trgm" ON "Finding" USING gin ("organizationId", ("resourceName" || ' ' || "controlId") gin_trgm_ops, "resourceNamespace" gin_trgm_ops);
