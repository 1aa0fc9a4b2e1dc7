-- The organization's own policies (issue 23): custom controls in CEL with immutable versions, the organization's
-- own frameworks and requirements, and the resolution reason for findings of a disabled control. Written by hand.

ALTER TYPE "ResolutionReason" ADD VALUE 'CONTROL_DISABLED';

-- CreateTable
CREATE TABLE "CustomControl" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organizationId" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT false,
    "currentVersion" INTEGER NOT NULL DEFAULT 1,
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "disabledAt" TIMESTAMP(3),

    CONSTRAINT "CustomControl_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "CustomControl_key_format" CHECK ("key" ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$'),
    CONSTRAINT "CustomControl_title_length" CHECK (char_length("title") BETWEEN 1 AND 200)
);
CREATE UNIQUE INDEX "CustomControl_organizationId_id_key" ON "CustomControl"("organizationId", "id");
CREATE UNIQUE INDEX "CustomControl_organizationId_key_key" ON "CustomControl"("organizationId", "key");
ALTER TABLE "CustomControl" ADD CONSTRAINT "CustomControl_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "CustomControl" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "CustomControl_tenant_isolation" ON "CustomControl" TO bulwark_tenant
  USING ("organizationId" = bulwark_current_org()) WITH CHECK ("organizationId" = bulwark_current_org());

-- CreateTable
CREATE TABLE "CustomControlVersion" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organizationId" UUID NOT NULL,
    "customControlId" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "severity" "Severity" NOT NULL,
    "rationale" TEXT NOT NULL,
    "remediation" TEXT NOT NULL,
    "rule" JSONB NOT NULL,
    "requirementIds" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "authorId" UUID,
    "change" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CustomControlVersion_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "CustomControlVersion_version_positive" CHECK ("version" >= 1)
);
CREATE UNIQUE INDEX "CustomControlVersion_organizationId_customControlId_version_key" ON "CustomControlVersion"("organizationId", "customControlId", "version");
ALTER TABLE "CustomControlVersion" ADD CONSTRAINT "CustomControlVersion_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "CustomControlVersion" ADD CONSTRAINT "CustomControlVersion_organizationId_customControlId_fkey" FOREIGN KEY ("organizationId", "customControlId") REFERENCES "CustomControl"("organizationId", "id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "CustomControlVersion" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "CustomControlVersion_tenant_isolation" ON "CustomControlVersion" TO bulwark_tenant
  USING ("organizationId" = bulwark_current_org()) WITH CHECK ("organizationId" = bulwark_current_org());

-- Versions are history: written once, never changed.
CREATE FUNCTION "custom_control_version_immutable"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'custom control versions are immutable';
END;
$$;
CREATE TRIGGER "CustomControlVersion_immutable" BEFORE UPDATE ON "CustomControlVersion"
  FOR EACH ROW EXECUTE FUNCTION "custom_control_version_immutable"();

-- CreateTable
CREATE TABLE "OrgFramework" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organizationId" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OrgFramework_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "OrgFramework_key_format" CHECK ("key" ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$')
);
CREATE UNIQUE INDEX "OrgFramework_organizationId_id_key" ON "OrgFramework"("organizationId", "id");
CREATE UNIQUE INDEX "OrgFramework_organizationId_key_key" ON "OrgFramework"("organizationId", "key");
ALTER TABLE "OrgFramework" ADD CONSTRAINT "OrgFramework_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "OrgFramework" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "OrgFramework_tenant_isolation" ON "OrgFramework" TO bulwark_tenant
  USING ("organizationId" = bulwark_current_org()) WITH CHECK ("organizationId" = bulwark_current_org());

-- CreateTable
CREATE TABLE "OrgRequirement" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organizationId" UUID NOT NULL,
    "frameworkId" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "sortOrder" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "OrgRequirement_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "OrgRequirement_organizationId_frameworkId_code_key" ON "OrgRequirement"("organizationId", "frameworkId", "code");
ALTER TABLE "OrgRequirement" ADD CONSTRAINT "OrgRequirement_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "OrgRequirement" ADD CONSTRAINT "OrgRequirement_organizationId_frameworkId_fkey" FOREIGN KEY ("organizationId", "frameworkId") REFERENCES "OrgFramework"("organizationId", "id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "OrgRequirement" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "OrgRequirement_tenant_isolation" ON "OrgRequirement" TO bulwark_tenant
  USING ("organizationId" = bulwark_current_org()) WITH CHECK ("organizationId" = bulwark_current_org());
