-- Saved findings views (issue 18): a user's named query strings of the findings page, private to that user within
-- the organization. The unique index leads with organizationId and serves the per-user listing too. Written by hand.

-- CreateTable
CREATE TABLE "SavedFindingView" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organizationId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "query" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SavedFindingView_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "SavedFindingView_name_length" CHECK (char_length("name") BETWEEN 1 AND 80),
    CONSTRAINT "SavedFindingView_query_length" CHECK (char_length("query") <= 2000)
);

-- CreateIndex
CREATE UNIQUE INDEX "SavedFindingView_organizationId_userId_name_key" ON "SavedFindingView"("organizationId", "userId", "name");

-- AddForeignKey: leaving the organization takes the member's views with it.
ALTER TABLE "SavedFindingView" ADD CONSTRAINT "SavedFindingView_organizationId_userId_fkey" FOREIGN KEY ("organizationId", "userId") REFERENCES "Membership"("organizationId", "userId") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "SavedFindingView" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "SavedFindingView_tenant_isolation" ON "SavedFindingView" TO bulwark_tenant
  USING ("organizationId" = bulwark_current_org()) WITH CHECK ("organizationId" = bulwark_current_org());
