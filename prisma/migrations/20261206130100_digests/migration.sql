-- E-mail digests (issue 20): each member's choice (none, daily, weekly; in their time zone) and one row per member
-- and period sent, so a retried job never mails a digest twice. Written by hand.

-- CreateTable
CREATE TABLE "DigestSetting" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organizationId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "frequency" TEXT NOT NULL,
    "timeZone" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DigestSetting_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "DigestSetting_frequency" CHECK ("frequency" IN ('none', 'daily', 'weekly')),
    CONSTRAINT "DigestSetting_time_zone_length" CHECK (char_length("timeZone") BETWEEN 1 AND 64)
);

CREATE UNIQUE INDEX "DigestSetting_organizationId_userId_key" ON "DigestSetting"("organizationId", "userId");

ALTER TABLE "DigestSetting" ADD CONSTRAINT "DigestSetting_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "DigestSetting" ADD CONSTRAINT "DigestSetting_membership_fkey" FOREIGN KEY ("organizationId", "userId") REFERENCES "Membership"("organizationId", "userId") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "DigestSetting" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "DigestSetting_tenant_isolation" ON "DigestSetting" TO bulwark_tenant
  USING ("organizationId" = bulwark_current_org()) WITH CHECK ("organizationId" = bulwark_current_org());

-- CreateTable
CREATE TABLE "DigestRun" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organizationId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "period" TEXT NOT NULL,
    "items" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DigestRun_pkey" PRIMARY KEY ("id")
);

-- The unique key is the idempotency: one digest per member and period.
CREATE UNIQUE INDEX "DigestRun_organizationId_userId_period_key" ON "DigestRun"("organizationId", "userId", "period");
CREATE INDEX "DigestRun_organizationId_createdAt_idx" ON "DigestRun"("organizationId", "createdAt");

ALTER TABLE "DigestRun" ADD CONSTRAINT "DigestRun_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "DigestRun" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "DigestRun_tenant_isolation" ON "DigestRun" TO bulwark_tenant
  USING ("organizationId" = bulwark_current_org()) WITH CHECK ("organizationId" = bulwark_current_org());
