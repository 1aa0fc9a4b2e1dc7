-- Access explorer (issue 22): each cluster's effective RBAC permissions in normalized form, one set per distinct
-- content (snapshots whose RBAC did not change share it), and which set each evaluated snapshot had. Written by hand.

CREATE TABLE "AccessPermissionSet" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organizationId" UUID NOT NULL,
    "clusterId" UUID NOT NULL,
    "digest" TEXT NOT NULL,
    "roleCount" INTEGER NOT NULL,
    "bindingCount" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AccessPermissionSet_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "AccessPermissionSet_digest" CHECK ("digest" ~ '^[0-9a-f]{64}$')
);
CREATE UNIQUE INDEX "AccessPermissionSet_organizationId_id_key" ON "AccessPermissionSet"("organizationId", "id");
CREATE UNIQUE INDEX "AccessPermissionSet_organizationId_clusterId_digest_key" ON "AccessPermissionSet"("organizationId", "clusterId", "digest");
ALTER TABLE "AccessPermissionSet" ADD CONSTRAINT "AccessPermissionSet_cluster_fkey" FOREIGN KEY ("organizationId", "clusterId") REFERENCES "Cluster"("organizationId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "AccessRole" (
    "organizationId" UUID NOT NULL,
    "setId" UUID NOT NULL,
    "no" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "assumed" BOOLEAN NOT NULL DEFAULT false,
    "aggregates" JSONB,
    "sourceNos" INTEGER[] DEFAULT ARRAY[]::INTEGER[],

    CONSTRAINT "AccessRole_pkey" PRIMARY KEY ("organizationId", "setId", "no"),
    CONSTRAINT "AccessRole_kind" CHECK ("kind" IN ('Role', 'ClusterRole'))
);
ALTER TABLE "AccessRole" ADD CONSTRAINT "AccessRole_set_fkey" FOREIGN KEY ("organizationId", "setId") REFERENCES "AccessPermissionSet"("organizationId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "AccessRule" (
    "organizationId" UUID NOT NULL,
    "setId" UUID NOT NULL,
    "roleNo" INTEGER NOT NULL,
    "ruleIndex" INTEGER NOT NULL,
    "verbs" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "apiGroups" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "resources" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "resourceNames" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "nonResourceURLs" TEXT[] DEFAULT ARRAY[]::TEXT[],

    CONSTRAINT "AccessRule_pkey" PRIMARY KEY ("organizationId", "setId", "roleNo", "ruleIndex")
);
ALTER TABLE "AccessRule" ADD CONSTRAINT "AccessRule_set_fkey" FOREIGN KEY ("organizationId", "setId") REFERENCES "AccessPermissionSet"("organizationId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "AccessBinding" (
    "organizationId" UUID NOT NULL,
    "setId" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "bindingKind" TEXT NOT NULL,
    "bindingNamespace" TEXT NOT NULL,
    "bindingName" TEXT NOT NULL,
    "roleNo" INTEGER NOT NULL,
    "subjectKind" TEXT NOT NULL,
    "subjectNamespace" TEXT NOT NULL,
    "subjectName" TEXT NOT NULL,
    "scopeNamespace" TEXT NOT NULL,
    "subjectMissing" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "AccessBinding_pkey" PRIMARY KEY ("organizationId", "setId", "position"),
    CONSTRAINT "AccessBinding_kinds" CHECK ("bindingKind" IN ('RoleBinding', 'ClusterRoleBinding') AND "subjectKind" IN ('User', 'Group', 'ServiceAccount'))
);
-- who-can: the bindings of the roles that hold a matching rule, in one namespace or cluster-wide;
-- what-can: a subject's bindings (and its groups').
CREATE INDEX "AccessBinding_organizationId_setId_roleNo_scopeNamespace_idx" ON "AccessBinding"("organizationId", "setId", "roleNo", "scopeNamespace");
CREATE INDEX "AccessBinding_organizationId_setId_subjectKind_subjectName_idx" ON "AccessBinding"("organizationId", "setId", "subjectKind", "subjectName");
ALTER TABLE "AccessBinding" ADD CONSTRAINT "AccessBinding_set_fkey" FOREIGN KEY ("organizationId", "setId") REFERENCES "AccessPermissionSet"("organizationId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "AccessSnapshot" (
    "organizationId" UUID NOT NULL,
    "clusterId" UUID NOT NULL,
    "snapshotId" UUID NOT NULL,
    "evaluationRunId" UUID NOT NULL,
    "setId" UUID NOT NULL,
    "collectedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AccessSnapshot_pkey" PRIMARY KEY ("organizationId", "snapshotId")
);
CREATE INDEX "AccessSnapshot_organizationId_clusterId_collectedAt_idx" ON "AccessSnapshot"("organizationId", "clusterId", "collectedAt");
CREATE INDEX "AccessSnapshot_organizationId_setId_idx" ON "AccessSnapshot"("organizationId", "setId");
ALTER TABLE "AccessSnapshot" ADD CONSTRAINT "AccessSnapshot_cluster_fkey" FOREIGN KEY ("organizationId", "clusterId") REFERENCES "Cluster"("organizationId", "id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "AccessSnapshot" ADD CONSTRAINT "AccessSnapshot_snapshot_fkey" FOREIGN KEY ("organizationId", "snapshotId") REFERENCES "Snapshot"("organizationId", "id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "AccessSnapshot" ADD CONSTRAINT "AccessSnapshot_set_fkey" FOREIGN KEY ("organizationId", "setId") REFERENCES "AccessPermissionSet"("organizationId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "AccessPermissionSet" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "AccessPermissionSet_tenant_isolation" ON "AccessPermissionSet" TO bulwark_tenant
  USING ("organizationId" = bulwark_current_org()) WITH CHECK ("organizationId" = bulwark_current_org());
ALTER TABLE "AccessRole" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "AccessRole_tenant_isolation" ON "AccessRole" TO bulwark_tenant
  USING ("organizationId" = bulwark_current_org()) WITH CHECK ("organizationId" = bulwark_current_org());
ALTER TABLE "AccessRule" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "AccessRule_tenant_isolation" ON "AccessRule" TO bulwark_tenant
  USING ("organizationId" = bulwark_current_org()) WITH CHECK ("organizationId" = bulwark_current_org());
ALTER TABLE "AccessBinding" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "AccessBinding_tenant_isolation" ON "AccessBinding" TO bulwark_tenant
  USING ("organizationId" = bulwark_current_org()) WITH CHECK ("organizationId" = bulwark_current_org());
ALTER TABLE "AccessSnapshot" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "AccessSnapshot_tenant_isolation" ON "AccessSnapshot" TO bulwark_tenant
  USING ("organizationId" = bulwark_current_org()) WITH CHECK ("organizationId" = bulwark_current_org());
