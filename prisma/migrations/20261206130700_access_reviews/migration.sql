-- Access review campaigns (issue 22; lib/services/reviews). Written by hand.
-- A campaign freezes (cluster, subject, right) items from each cluster's latest evaluated snapshot; reviewers keep or
-- revoke each; a revoked item is a work item for the cluster's owners that a later snapshot without the right closes.

-- The IdP groups a member's last sign-in through the organization's own connection asserted (group sync), so a
-- reviewer's own access through a Kubernetes Group subject is recognised (four eyes).
ALTER TABLE "Membership" ADD COLUMN "idpGroups" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[];

-- CreateTable
CREATE TABLE "AccessReviewCampaign" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organizationId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "clusterIds" UUID[] NOT NULL,
    "scope" TEXT NOT NULL,
    "reviewerMode" TEXT NOT NULL,
    "reviewerUserId" UUID,
    "reviewerTeamId" UUID,
    "namespaceReviewers" JSONB NOT NULL DEFAULT '{}',
    "dueAt" TIMESTAMP(3) NOT NULL,
    "recurrence" TEXT NOT NULL DEFAULT 'none',
    "status" TEXT NOT NULL DEFAULT 'active',
    "previousCampaignId" UUID,
    "createdById" UUID,
    "createdByLabel" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMP(3),
    "completedById" UUID,
    "completedByLabel" TEXT,
    "summary" TEXT,
    "remindedAt" TIMESTAMP(3),
    "nextCampaignId" UUID,

    CONSTRAINT "AccessReviewCampaign_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "AccessReviewCampaign_scope" CHECK ("scope" IN ('privileged', 'all')),
    CONSTRAINT "AccessReviewCampaign_reviewerMode" CHECK ("reviewerMode" IN ('person', 'team', 'namespace')),
    CONSTRAINT "AccessReviewCampaign_recurrence" CHECK ("recurrence" IN ('none', 'quarterly')),
    CONSTRAINT "AccessReviewCampaign_status" CHECK ("status" IN ('active', 'completed')),
    CONSTRAINT "AccessReviewCampaign_completed" CHECK (("status" = 'completed') = ("completedAt" IS NOT NULL)),
    CONSTRAINT "AccessReviewCampaign_name_length" CHECK (char_length("name") BETWEEN 1 AND 200)
);

CREATE UNIQUE INDEX "AccessReviewCampaign_organizationId_id_key" ON "AccessReviewCampaign"("organizationId", "id");
CREATE INDEX "AccessReviewCampaign_organizationId_status_createdAt_idx" ON "AccessReviewCampaign"("organizationId", "status", "createdAt");

ALTER TABLE "AccessReviewCampaign" ADD CONSTRAINT "AccessReviewCampaign_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "AccessReviewCampaign" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "AccessReviewCampaign_tenant_isolation" ON "AccessReviewCampaign" TO bulwark_tenant
  USING ("organizationId" = bulwark_current_org()) WITH CHECK ("organizationId" = bulwark_current_org());

-- CreateTable
CREATE TABLE "AccessReviewItem" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organizationId" UUID NOT NULL,
    "campaignId" UUID NOT NULL,
    "clusterId" UUID NOT NULL,
    "clusterName" TEXT NOT NULL,
    "snapshotId" UUID NOT NULL,
    "subjectKind" TEXT NOT NULL,
    "subjectName" TEXT NOT NULL,
    "subjectNamespace" TEXT,
    "namespace" TEXT,
    "rightKey" TEXT NOT NULL,
    "verbs" TEXT[] NOT NULL,
    "resources" TEXT[] NOT NULL,
    "risks" TEXT[] NOT NULL,
    "privileged" BOOLEAN NOT NULL,
    "chain" JSONB NOT NULL,
    "isNew" BOOLEAN NOT NULL DEFAULT false,
    "reviewerUserId" UUID,
    "reviewerTeamId" UUID,
    "decision" TEXT,
    "reason" TEXT,
    "decidedById" UUID,
    "decidedByLabel" TEXT,
    "decidedAt" TIMESTAMP(3),
    "revocationStatus" TEXT,
    "revocationDueAt" TIMESTAMP(3),
    "revocationClosedAt" TIMESTAMP(3),
    "revocationSnapshotId" UUID,
    "overdueNotifiedAt" TIMESTAMP(3),

    CONSTRAINT "AccessReviewItem_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "AccessReviewItem_decision" CHECK ("decision" IS NULL OR "decision" IN ('keep', 'revoke')),
    CONSTRAINT "AccessReviewItem_decided" CHECK (("decision" IS NULL) = ("decidedAt" IS NULL)),
    CONSTRAINT "AccessReviewItem_privileged_keep_reason" CHECK (NOT ("decision" = 'keep' AND "privileged" AND coalesce(char_length(btrim("reason")), 0) = 0)),
    CONSTRAINT "AccessReviewItem_revocation" CHECK (("revocationStatus" IS NULL) OR ("decision" = 'revoke' AND "revocationStatus" IN ('open', 'done')))
);

CREATE UNIQUE INDEX "AccessReviewItem_organizationId_id_key" ON "AccessReviewItem"("organizationId", "id");
CREATE UNIQUE INDEX "AccessReviewItem_organizationId_campaignId_clusterId_rightKey_key" ON "AccessReviewItem"("organizationId", "campaignId", "clusterId", "rightKey");
CREATE INDEX "AccessReviewItem_organizationId_campaignId_decision_idx" ON "AccessReviewItem"("organizationId", "campaignId", "decision");
CREATE INDEX "AccessReviewItem_organizationId_clusterId_revocationStatus_idx" ON "AccessReviewItem"("organizationId", "clusterId", "revocationStatus");

ALTER TABLE "AccessReviewItem" ADD CONSTRAINT "AccessReviewItem_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "AccessReviewItem" ADD CONSTRAINT "AccessReviewItem_campaign_fkey" FOREIGN KEY ("organizationId", "campaignId") REFERENCES "AccessReviewCampaign"("organizationId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "AccessReviewItem" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "AccessReviewItem_tenant_isolation" ON "AccessReviewItem" TO bulwark_tenant
  USING ("organizationId" = bulwark_current_org()) WITH CHECK ("organizationId" = bulwark_current_org());
