-- Jira (issue 20): an organization's Jira connection (token sealed, webhook secret hashed) and the Jira issues
-- created from findings and tickets, with the status Jira last reported. Written by hand.

-- CreateTable
CREATE TABLE "JiraConnection" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organizationId" UUID NOT NULL,
    "deployment" TEXT NOT NULL,
    "baseUrl" TEXT NOT NULL,
    "email" TEXT,
    "tokenCiphertext" TEXT NOT NULL,
    "tokenKeyId" TEXT NOT NULL,
    "accountName" TEXT NOT NULL,
    "projectKey" TEXT,
    "projectName" TEXT,
    "issueTypeId" TEXT,
    "issueTypeName" TEXT,
    "priorityMap" JSONB NOT NULL DEFAULT '{}',
    "webhookSecretHash" TEXT NOT NULL,
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "JiraConnection_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "JiraConnection_deployment" CHECK ("deployment" IN ('cloud', 'server')),
    -- Cloud authenticates with an e-mail and an API token; Server/Data Center with a personal access token alone.
    CONSTRAINT "JiraConnection_email" CHECK (("deployment" = 'cloud') = ("email" IS NOT NULL))
);

-- CreateIndex: one connection per organization.
CREATE UNIQUE INDEX "JiraConnection_organizationId_key" ON "JiraConnection"("organizationId");

ALTER TABLE "JiraConnection" ADD CONSTRAINT "JiraConnection_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "JiraConnection" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "JiraConnection_tenant_isolation" ON "JiraConnection" TO bulwark_tenant
  USING ("organizationId" = bulwark_current_org()) WITH CHECK ("organizationId" = bulwark_current_org());

-- CreateTable
CREATE TABLE "JiraLink" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organizationId" UUID NOT NULL,
    "findingId" UUID,
    "ticketId" UUID,
    "issueKey" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "statusCategory" TEXT NOT NULL,
    "lastSyncedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "JiraLink_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "JiraLink_one_subject" CHECK (("findingId" IS NULL) <> ("ticketId" IS NULL))
);

-- CreateIndex
CREATE UNIQUE INDEX "JiraLink_organizationId_issueKey_key" ON "JiraLink"("organizationId", "issueKey");
CREATE INDEX "JiraLink_organizationId_findingId_idx" ON "JiraLink"("organizationId", "findingId");
CREATE INDEX "JiraLink_organizationId_ticketId_idx" ON "JiraLink"("organizationId", "ticketId");

ALTER TABLE "JiraLink" ADD CONSTRAINT "JiraLink_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "JiraLink" ADD CONSTRAINT "JiraLink_finding_fkey" FOREIGN KEY ("organizationId", "findingId") REFERENCES "Finding"("organizationId", "id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "JiraLink" ADD CONSTRAINT "JiraLink_ticket_fkey" FOREIGN KEY ("organizationId", "ticketId") REFERENCES "Ticket"("organizationId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "JiraLink" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "JiraLink_tenant_isolation" ON "JiraLink" TO bulwark_tenant
  USING ("organizationId" = bulwark_current_org()) WITH CHECK ("organizationId" = bulwark_current_org());
