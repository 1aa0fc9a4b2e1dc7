-- "Link another sign-in" (issue 15): a short-lived, single-use intent a signed-in user starts; the next sign-in in
-- the same browser attaches its identity to that user. Global (a person's, not an organization's), like User.

-- CreateTable
CREATE TABLE "IdentityLinkIntent" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "userId" UUID NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "consumedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "IdentityLinkIntent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "IdentityLinkIntent_tokenHash_key" ON "IdentityLinkIntent"("tokenHash");

-- CreateIndex
CREATE INDEX "IdentityLinkIntent_userId_idx" ON "IdentityLinkIntent"("userId");

-- AddForeignKey
ALTER TABLE "IdentityLinkIntent" ADD CONSTRAINT "IdentityLinkIntent_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
