-- The CIS Kubernetes Benchmark version an organization evaluates and reports against (issue 21).
-- Organization already has row-level security; a column needs no new policy.
ALTER TABLE "Organization" ADD COLUMN "cisBenchmarkVersion" TEXT NOT NULL DEFAULT '1.9';
ALTER TABLE "Organization" ADD CONSTRAINT "Organization_cisBenchmarkVersion_check" CHECK ("cisBenchmarkVersion" IN ('1.9', '1.12'));
