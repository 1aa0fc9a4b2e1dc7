-- Access review items keep the whole rule they froze (issue 22): API groups, resource names and non-resource URLs,
-- so that a later snapshot is matched by Kubernetes' rules (lib/services/reviews/rights.ts stillGranted).
ALTER TABLE "AccessReviewItem" ADD COLUMN "apiGroups" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[];
ALTER TABLE "AccessReviewItem" ADD COLUMN "resourceNames" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[];
ALTER TABLE "AccessReviewItem" ADD COLUMN "nonResourceURLs" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[];
