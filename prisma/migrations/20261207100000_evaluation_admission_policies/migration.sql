-- Issue 23: what the evaluation found of the cluster's own policies (ValidatingAdmissionPolicies evaluated against
-- the objects already running, per binding; Kyverno policies and Gatekeeper constraints as metadata), as the
-- cluster page and GET .../clusters/{id}/admission-policies show it. NULL: evaluated before this existed, or the
-- snapshot did not carry the lists. EvaluationRun already has row-level security by organizationId.
ALTER TABLE "EvaluationRun" ADD COLUMN "admissionPolicies" JSONB;
