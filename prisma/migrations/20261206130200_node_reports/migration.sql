-- Node reports (issue 21): the latest report of each node of a cluster, from the node collector
-- (npm run agent -- node, POST /api/v1/node-reports). One row per (cluster, node). Written by hand.

-- CreateTable
CREATE TABLE "NodeReport" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organizationId" UUID NOT NULL,
    "clusterId" UUID NOT NULL,
    "nodeName" TEXT NOT NULL,
    "apiVersion" TEXT NOT NULL,
    "collectorVersion" TEXT NOT NULL,
    "contentDigest" TEXT NOT NULL,
    "report" JSONB NOT NULL,
    "reportBytes" INTEGER NOT NULL,
    "collectedAt" TIMESTAMP(3) NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "changedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "NodeReport_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "NodeReport_nodeName_length" CHECK (char_length("nodeName") BETWEEN 1 AND 253)
);

-- CreateIndex: tenant-scoped lookups; one row per node (the latest); a cluster's reports by collection time.
CREATE UNIQUE INDEX "NodeReport_organizationId_id_key" ON "NodeReport"("organizationId", "id");
CREATE UNIQUE INDEX "NodeReport_organizationId_clusterId_nodeName_key" ON "NodeReport"("organizationId", "clusterId", "nodeName");
CREATE INDEX "NodeReport_organizationId_clusterId_collectedAt_idx" ON "NodeReport"("organizationId", "clusterId", "collectedAt");

ALTER TABLE "NodeReport" ADD CONSTRAINT "NodeReport_organizationId_clusterId_fkey" FOREIGN KEY ("organizationId", "clusterId") REFERENCES "Cluster"("organizationId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "NodeReport" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "NodeReport_tenant_isolation" ON "NodeReport" TO bulwark_tenant
  USING ("organizationId" = bulwark_current_org()) WITH CHECK ("organizationId" = bulwark_current_org());
