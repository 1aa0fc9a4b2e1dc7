-- Statement of Applicability (issue 19): per organization and framework, each requirement's decision (applicable,
-- excluded or the provider's responsibility, with a justification for the last two), its implementation status and
-- owner; and the approved versions, immutable snapshots of those decisions. Written by hand.

-- CreateTable
CREATE TABLE "SoaEntry" (
    "organizationId" UUID NOT NULL,
    "frameworkId" TEXT NOT NULL,
    "requirementId" TEXT NOT NULL,
    "applicability" TEXT NOT NULL,
    "justification" TEXT,
    "implementationStatus" TEXT,
    "ownerUserId" UUID,
    "decidedById" UUID,
    "decidedByLabel" TEXT NOT NULL,
    "decidedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SoaEntry_pkey" PRIMARY KEY ("organizationId", "frameworkId", "requirementId"),
    CONSTRAINT "SoaEntry_applicability" CHECK ("applicability" IN ('applicable', 'excluded', 'provider_responsibility')),
    -- No exclusion (or provider's responsibility) without a reason, whatever the code above says.
    CONSTRAINT "SoaEntry_justified" CHECK ("applicability" = 'applicable' OR char_length(btrim(coalesce("justification", ''))) > 0),
    CONSTRAINT "SoaEntry_justification_length" CHECK (char_length("justification") <= 2000),
    CONSTRAINT "SoaEntry_implementation" CHECK ("implementationStatus" IS NULL OR "implementationStatus" IN ('not_started', 'in_progress', 'implemented'))
);

-- AddForeignKey: the owner is a member; leaving the organization clears the owner, not the decision.
ALTER TABLE "SoaEntry" ADD CONSTRAINT "SoaEntry_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "SoaEntry" ADD CONSTRAINT "SoaEntry_owner_fkey" FOREIGN KEY ("organizationId", "ownerUserId") REFERENCES "Membership"("organizationId", "userId") ON DELETE SET NULL ("ownerUserId") ON UPDATE CASCADE;

ALTER TABLE "SoaEntry" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "SoaEntry_tenant_isolation" ON "SoaEntry" TO bulwark_tenant
  USING ("organizationId" = bulwark_current_org()) WITH CHECK ("organizationId" = bulwark_current_org());

-- CreateTable
CREATE TABLE "SoaVersion" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organizationId" UUID NOT NULL,
    "frameworkId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "decisions" JSONB NOT NULL,
    "digest" TEXT NOT NULL,
    "approvedById" UUID,
    "approvedByLabel" TEXT NOT NULL,
    "approvedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "note" TEXT,

    CONSTRAINT "SoaVersion_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "SoaVersion_version_positive" CHECK ("version" >= 1),
    CONSTRAINT "SoaVersion_note_length" CHECK (char_length("note") <= 2000)
);

-- CreateIndex: numbers a framework's versions 1, 2, ... and serves the history, newest first.
CREATE UNIQUE INDEX "SoaVersion_organizationId_frameworkId_version_key" ON "SoaVersion"("organizationId", "frameworkId", "version");

ALTER TABLE "SoaVersion" ADD CONSTRAINT "SoaVersion_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "SoaVersion" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "SoaVersion_tenant_isolation" ON "SoaVersion" TO bulwark_tenant
  USING ("organizationId" = bulwark_current_org()) WITH CHECK ("organizationId" = bulwark_current_org());
-- An approved version is a record: tenants add and read versions; nobody under the tenant role changes one.
GRANT SELECT, INSERT ON "SoaVersion" TO bulwark_tenant;
REVOKE UPDATE, DELETE ON "SoaVersion" FROM bulwark_tenant;
