-- Search matches the resource name or namespace through trigrams, and controls through their id or title, looked
-- up in the catalog (lib/findings/list-findings.ts) and matched with the (organizationId, controlId, status) index.
-- The trigram index no longer carries "resourceName" || ' ' || "controlId": the control id repeated in every row
-- doubled the trigrams each new finding adds, and an evaluation's INSERT of 31,000 findings spent 12-15 % of its
-- time there (bench). Same name, so the comment in lib/db/findings-list-sql.ts still points at it. Written by hand.
DROP INDEX "Finding_search_trgm";
CREATE INDEX "Finding_search_trgm" ON "Finding" USING gin ("organizationId", "resourceName" gin_trgm_ops, "resourceNamespace" gin_trgm_ops);
