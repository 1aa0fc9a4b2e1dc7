-- Evidence (issue 19): files, links and attestations for requirements no cluster data decides, reviewed by a second
-- person (four eyes), valid for a period; the bytes of files kept in Postgres (a separate table, so listing never
-- loads them) unless object storage is configured; evidence requests with their thread. Written by hand.

-- CreateTable
CREATE TABLE "EvidenceItem" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organizationId" UUID NOT NULL,
    "frameworkId" TEXT NOT NULL,
    "requirementId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "fileName" TEXT,
    "contentType" TEXT,
    "sizeBytes" INTEGER,
    "sha256" TEXT,
    "storage" TEXT,
    "storageKey" TEXT,
    "url" TEXT,
    "attestation" TEXT,
    "ownerUserId" UUID,
    "collectedAt" TIMESTAMP(3) NOT NULL,
    "validUntil" TIMESTAMP(3) NOT NULL,
    "uploadedById" UUID,
    "uploadedByLabel" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "reviewedById" UUID,
    "reviewedByLabel" TEXT,
    "reviewedAt" TIMESTAMP(3),
    "reviewNote" TEXT,
    "expiryRemindedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EvidenceItem_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "EvidenceItem_kind" CHECK ("kind" IN ('file', 'link', 'attestation')),
    CONSTRAINT "EvidenceItem_status" CHECK ("status" IN ('pending', 'accepted', 'rejected')),
    CONSTRAINT "EvidenceItem_file" CHECK ("kind" <> 'file' OR ("fileName" IS NOT NULL AND "contentType" IS NOT NULL AND "sizeBytes" >= 0 AND "sha256" IS NOT NULL AND "storage" IN ('postgres', 's3'))),
    CONSTRAINT "EvidenceItem_link" CHECK ("kind" <> 'link' OR "url" LIKE 'https://%'),
    CONSTRAINT "EvidenceItem_attestation" CHECK ("kind" <> 'attestation' OR char_length(btrim(coalesce("attestation", ''))) > 0),
    CONSTRAINT "EvidenceItem_validity" CHECK ("validUntil" > "collectedAt"),
    CONSTRAINT "EvidenceItem_title_length" CHECK (char_length("title") BETWEEN 1 AND 200),
    -- A decision is made by someone, at some time; a pending item has none.
    CONSTRAINT "EvidenceItem_review" CHECK (("status" = 'pending') = ("reviewedAt" IS NULL)),
    -- Four eyes, whatever the code above says: the reviewer is never the uploader.
    CONSTRAINT "EvidenceItem_four_eyes" CHECK ("reviewedById" IS NULL OR "uploadedById" IS NULL OR "reviewedById" <> "uploadedById")
);

-- CreateIndex: a requirement's evidence, and the expiry job's scan by validity.
CREATE INDEX "EvidenceItem_organizationId_frameworkId_requirementId_idx" ON "EvidenceItem"("organizationId", "frameworkId", "requirementId");
CREATE INDEX "EvidenceItem_organizationId_validUntil_idx" ON "EvidenceItem"("organizationId", "validUntil");

-- AddForeignKey: the owner is a member; leaving the organization clears the owner, not the evidence.
ALTER TABLE "EvidenceItem" ADD CONSTRAINT "EvidenceItem_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "EvidenceItem" ADD CONSTRAINT "EvidenceItem_owner_fkey" FOREIGN KEY ("organizationId", "ownerUserId") REFERENCES "Membership"("organizationId", "userId") ON DELETE SET NULL ("ownerUserId") ON UPDATE CASCADE;

ALTER TABLE "EvidenceItem" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "EvidenceItem_tenant_isolation" ON "EvidenceItem" TO bulwark_tenant
  USING ("organizationId" = bulwark_current_org()) WITH CHECK ("organizationId" = bulwark_current_org());

-- CreateTable
CREATE TABLE "EvidenceBlob" (
    "evidenceId" UUID NOT NULL,
    "organizationId" UUID NOT NULL,
    "data" BYTEA NOT NULL,

    CONSTRAINT "EvidenceBlob_pkey" PRIMARY KEY ("evidenceId")
);

CREATE INDEX "EvidenceBlob_organizationId_idx" ON "EvidenceBlob"("organizationId");

ALTER TABLE "EvidenceBlob" ADD CONSTRAINT "EvidenceBlob_evidenceId_fkey" FOREIGN KEY ("evidenceId") REFERENCES "EvidenceItem"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "EvidenceBlob" ADD CONSTRAINT "EvidenceBlob_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "EvidenceBlob" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "EvidenceBlob_tenant_isolation" ON "EvidenceBlob" TO bulwark_tenant
  USING ("organizationId" = bulwark_current_org()) WITH CHECK ("organizationId" = bulwark_current_org());

-- CreateTable
CREATE TABLE "EvidenceRequest" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organizationId" UUID NOT NULL,
    "frameworkId" TEXT NOT NULL,
    "requirementId" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "dueDate" TIMESTAMP(3) NOT NULL,
    "assigneeUserId" UUID,
    "askedById" UUID,
    "askedByLabel" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "closeReason" TEXT,
    "closedById" UUID,
    "closedByLabel" TEXT,
    "closedAt" TIMESTAMP(3),
    "evidenceId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EvidenceRequest_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "EvidenceRequest_status" CHECK ("status" IN ('open', 'closed')),
    CONSTRAINT "EvidenceRequest_closed" CHECK (("status" = 'open') = ("closedAt" IS NULL) AND ("status" = 'open' OR "closeReason" IN ('accepted', 'closed'))),
    CONSTRAINT "EvidenceRequest_message_length" CHECK (char_length(btrim("message")) BETWEEN 1 AND 2000)
);

CREATE INDEX "EvidenceRequest_organizationId_frameworkId_requirementId_status_idx" ON "EvidenceRequest"("organizationId", "frameworkId", "requirementId", "status");

ALTER TABLE "EvidenceRequest" ADD CONSTRAINT "EvidenceRequest_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "EvidenceRequest" ADD CONSTRAINT "EvidenceRequest_assignee_fkey" FOREIGN KEY ("organizationId", "assigneeUserId") REFERENCES "Membership"("organizationId", "userId") ON DELETE SET NULL ("assigneeUserId") ON UPDATE CASCADE;
ALTER TABLE "EvidenceRequest" ADD CONSTRAINT "EvidenceRequest_evidenceId_fkey" FOREIGN KEY ("evidenceId") REFERENCES "EvidenceItem"("id") ON DELETE SET NULL ON UPDATE CASCADE;

ALTER TABLE "EvidenceRequest" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "EvidenceRequest_tenant_isolation" ON "EvidenceRequest" TO bulwark_tenant
  USING ("organizationId" = bulwark_current_org()) WITH CHECK ("organizationId" = bulwark_current_org());

-- CreateTable
CREATE TABLE "EvidenceRequestComment" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organizationId" UUID NOT NULL,
    "requestId" UUID NOT NULL,
    "authorId" UUID,
    "authorLabel" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EvidenceRequestComment_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "EvidenceRequestComment_body_length" CHECK (char_length(btrim("body")) BETWEEN 1 AND 4000)
);

CREATE INDEX "EvidenceRequestComment_organizationId_requestId_createdAt_idx" ON "EvidenceRequestComment"("organizationId", "requestId", "createdAt");

ALTER TABLE "EvidenceRequestComment" ADD CONSTRAINT "EvidenceRequestComment_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "EvidenceRequestComment" ADD CONSTRAINT "EvidenceRequestComment_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "EvidenceRequest"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "EvidenceRequestComment" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "EvidenceRequestComment_tenant_isolation" ON "EvidenceRequestComment" TO bulwark_tenant
  USING ("organizationId" = bulwark_current_org()) WITH CHECK ("organizationId" = bulwark_current_org());
