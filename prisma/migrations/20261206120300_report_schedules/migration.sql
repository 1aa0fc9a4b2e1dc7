-- Scheduled reports (issue 20): schedules that the maintenance tick turns into ordinary report requests, and each
-- organization's approved external recipients. Written by hand.

-- CreateTable
CREATE TABLE "ReportSchedule" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organizationId" UUID NOT NULL,
    "frameworkId" TEXT NOT NULL,
    "format" "ReportFormat" NOT NULL,
    "clusterIds" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "period" TEXT NOT NULL,
    "cron" TEXT NOT NULL,
    "timeZone" TEXT NOT NULL,
    "recipientUserIds" UUID[] DEFAULT ARRAY[]::UUID[],
    "recipientEmails" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "createdById" UUID,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "nextRunAt" TIMESTAMP(3) NOT NULL,
    "lastRunAt" TIMESTAMP(3),
    "lastReportId" UUID,
    "lastMailedReportId" UUID,
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReportSchedule_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "ReportSchedule_period" CHECK ("period" IN ('last_30_days', 'previous_month', 'previous_quarter')),
    CONSTRAINT "ReportSchedule_cron_length" CHECK (char_length("cron") BETWEEN 9 AND 120),
    CONSTRAINT "ReportSchedule_recipients" CHECK (cardinality("recipientUserIds") + cardinality("recipientEmails") <= 100)
);

-- CreateIndex: the unique pair for tenant-scoped lookups; the organization's schedules by next run.
CREATE UNIQUE INDEX "ReportSchedule_organizationId_id_key" ON "ReportSchedule"("organizationId", "id");
CREATE INDEX "ReportSchedule_organizationId_nextRunAt_idx" ON "ReportSchedule"("organizationId", "nextRunAt");

ALTER TABLE "ReportSchedule" ADD CONSTRAINT "ReportSchedule_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "ReportSchedule" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "ReportSchedule_tenant_isolation" ON "ReportSchedule" TO bulwark_tenant
  USING ("organizationId" = bulwark_current_org()) WITH CHECK ("organizationId" = bulwark_current_org());

-- CreateTable
CREATE TABLE "ReportExternalRecipient" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organizationId" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "approvedById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReportExternalRecipient_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "ReportExternalRecipient_email_lower" CHECK ("email" = lower("email") AND char_length("email") BETWEEN 3 AND 254)
);

CREATE UNIQUE INDEX "ReportExternalRecipient_organizationId_email_key" ON "ReportExternalRecipient"("organizationId", "email");

ALTER TABLE "ReportExternalRecipient" ADD CONSTRAINT "ReportExternalRecipient_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "ReportExternalRecipient" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "ReportExternalRecipient_tenant_isolation" ON "ReportExternalRecipient" TO bulwark_tenant
  USING ("organizationId" = bulwark_current_org()) WITH CHECK ("organizationId" = bulwark_current_org());
