-- Clusters (issue 18): environment and labels, archive, and short-lived single-use install links that serve the
-- agent's manifests with a new agent token inside. Written by hand.

-- CreateEnum
CREATE TYPE "ClusterEnvironment" AS ENUM ('PRODUCTION', 'STAGING', 'DEVELOPMENT');

-- AlterTable
ALTER TABLE "Cluster" ADD COLUMN "environment" "ClusterEnvironment",
ADD COLUMN "labels" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN "archivedAt" TIMESTAMP(3),
ADD COLUMN "archivedById" UUID;

-- CreateTable
CREATE TABLE "ClusterInstallLink" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organizationId" UUID NOT NULL,
    "clusterId" UUID NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "agentTokenId" UUID,

    CONSTRAINT "ClusterInstallLink_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ClusterInstallLink_tokenHash_key" ON "ClusterInstallLink"("tokenHash");

-- CreateIndex
CREATE INDEX "ClusterInstallLink_organizationId_clusterId_idx" ON "ClusterInstallLink"("organizationId", "clusterId");

-- AddForeignKey
ALTER TABLE "ClusterInstallLink" ADD CONSTRAINT "ClusterInstallLink_organizationId_clusterId_fkey" FOREIGN KEY ("organizationId", "clusterId") REFERENCES "Cluster"("organizationId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "ClusterInstallLink" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "ClusterInstallLink_tenant_isolation" ON "ClusterInstallLink" TO bulwark_tenant
  USING ("organizationId" = bulwark_current_org()) WITH CHECK ("organizationId" = bulwark_current_org());
