-- Access explorer (issue 22), who-can at 10,000 bindings: the binding subjects of one namespace and the cluster-wide
-- ones read first (a handful) rather than every role holding a candidate rule; and aggregation as rows
-- (aggregated role, source role, path) so "which aggregated roles hold these rules" is an index join, not an array
-- overlap over every aggregated role's list. Written by hand.
CREATE INDEX "AccessBinding_organizationId_setId_scopeNamespace_roleNo_idx" ON "AccessBinding"("organizationId", "setId", "scopeNamespace", "roleNo");

CREATE TABLE "AccessAggregation" (
    "organizationId" UUID NOT NULL,
    "setId" UUID NOT NULL,
    "roleNo" INTEGER NOT NULL,
    "sourceNo" INTEGER NOT NULL,
    "path" TEXT[] DEFAULT ARRAY[]::TEXT[],

    CONSTRAINT "AccessAggregation_pkey" PRIMARY KEY ("organizationId", "setId", "roleNo", "sourceNo")
);
CREATE INDEX "AccessAggregation_organizationId_setId_sourceNo_idx" ON "AccessAggregation"("organizationId", "setId", "sourceNo");
ALTER TABLE "AccessAggregation" ADD CONSTRAINT "AccessAggregation_set_fkey" FOREIGN KEY ("organizationId", "setId") REFERENCES "AccessPermissionSet"("organizationId", "id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "AccessAggregation" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "AccessAggregation_tenant_isolation" ON "AccessAggregation" TO bulwark_tenant
  USING ("organizationId" = bulwark_current_org()) WITH CHECK ("organizationId" = bulwark_current_org());
