-- Four eyes for namespace- and cluster-wide exceptions: they wait for a second owner or admin.
-- Existing exceptions were created under the old one-person rule and stay in force (APPROVED).
CREATE TYPE "ExceptionStatus" AS ENUM ('PENDING', 'APPROVED', 'REJECTED');

ALTER TABLE "FindingException"
  ADD COLUMN "status" "ExceptionStatus" NOT NULL DEFAULT 'APPROVED',
  ADD COLUMN "findingId" UUID,
  ADD COLUMN "decidedById" UUID,
  ADD COLUMN "decidedAt" TIMESTAMP(3),
  ADD COLUMN "decisionNote" TEXT;

CREATE INDEX "FindingException_organizationId_findingId_idx" ON "FindingException"("organizationId", "findingId");

-- The creator never decides their own request (the service says so first, with a clear message).
ALTER TABLE "FindingException" ADD CONSTRAINT "FindingException_decider_not_creator"
  CHECK ("decidedById" IS NULL OR "decidedById" <> "createdById");
-- A decided request records who decided and when.
ALTER TABLE "FindingException" ADD CONSTRAINT "FindingException_decision_recorded"
  CHECK ("status" = 'PENDING' OR "decidedById" IS NULL OR "decidedAt" IS NOT NULL);
