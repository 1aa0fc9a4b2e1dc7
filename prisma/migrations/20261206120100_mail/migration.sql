-- E-mail (issue 20): the mail log (one row per message and recipient; the body only sealed, and only until it is
-- sent or given up on) and per-category opt-outs recorded by the unsubscribe links. Written by hand.

-- CreateTable
CREATE TABLE "MailMessage" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organizationId" UUID NOT NULL,
    "category" TEXT NOT NULL,
    "recipient" TEXT NOT NULL,
    "userId" UUID,
    "subject" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'QUEUED',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "sealedBody" TEXT,
    "sealedKeyId" TEXT,
    "dedupeKey" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMP(3),

    CONSTRAINT "MailMessage_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "MailMessage_status" CHECK ("status" IN ('QUEUED', 'SENT', 'FAILED', 'BOUNCED', 'SKIPPED')),
    CONSTRAINT "MailMessage_subject_length" CHECK (char_length("subject") BETWEEN 1 AND 300),
    -- A body waits only while the message is queued.
    CONSTRAINT "MailMessage_body_only_queued" CHECK ("status" = 'QUEUED' OR "sealedBody" IS NULL)
);

CREATE INDEX "MailMessage_organizationId_createdAt_idx" ON "MailMessage"("organizationId", "createdAt");
CREATE UNIQUE INDEX "MailMessage_organizationId_dedupeKey_key" ON "MailMessage"("organizationId", "dedupeKey");

ALTER TABLE "MailMessage" ADD CONSTRAINT "MailMessage_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "MailMessage" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "MailMessage_tenant_isolation" ON "MailMessage" TO bulwark_tenant
  USING ("organizationId" = bulwark_current_org()) WITH CHECK ("organizationId" = bulwark_current_org());

-- CreateTable
CREATE TABLE "MailOptOut" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organizationId" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MailOptOut_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "MailOptOut_email_lower" CHECK ("email" = lower("email"))
);

CREATE UNIQUE INDEX "MailOptOut_organizationId_email_category_key" ON "MailOptOut"("organizationId", "email", "category");

ALTER TABLE "MailOptOut" ADD CONSTRAINT "MailOptOut_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "MailOptOut" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "MailOptOut_tenant_isolation" ON "MailOptOut" TO bulwark_tenant
  USING ("organizationId" = bulwark_current_org()) WITH CHECK ("organizationId" = bulwark_current_org());
