-- Reports anyone can verify (issue 19): the content digest printed on the PDF's cover, and the fingerprint of the
-- certificate that signed a PDF. The lookup by file hash uses the existing "Report_sha256_idx" (cross-tenant:
-- /verify answers for a file whoever issued it, through lib/platform/db/report-verify-sql.ts).
ALTER TABLE "Report" ADD COLUMN "contentSha256" TEXT;
ALTER TABLE "Report" ADD COLUMN "signerFingerprint" TEXT;
