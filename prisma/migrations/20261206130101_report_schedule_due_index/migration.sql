-- Scheduled reports (issue 20): the maintenance tick looks for due schedules across organizations
-- (WHERE enabled AND "nextRunAt" <= now ORDER BY "nextRunAt"), which the organization-first index cannot serve.
-- A cross-tenant index (listed in CROSS_TENANT_INDEXES), partial on enabled schedules. Written by hand.
CREATE INDEX "ReportSchedule_nextRunAt_idx" ON "ReportSchedule"("nextRunAt") WHERE "enabled";
