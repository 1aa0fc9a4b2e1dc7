-- Integrity rules that Prisma's schema language cannot express. Written by hand.

-- Four eyes: nobody decides their own risk acceptance, whatever the code above the database does.
ALTER TABLE "RiskAcceptance"
  ADD CONSTRAINT "RiskAcceptance_decider_is_not_requester"
  CHECK ("decidedById" IS NULL OR "decidedById" <> "requestedById");

-- An approved acceptance has an approver and a decision time; expiry is at most 365 days after the request.
ALTER TABLE "RiskAcceptance"
  ADD CONSTRAINT "RiskAcceptance_decision_complete"
  CHECK ("status" IN ('PENDING', 'EXPIRED', 'REVOKED') OR ("decidedById" IS NOT NULL AND "decidedAt" IS NOT NULL));
ALTER TABLE "RiskAcceptance"
  ADD CONSTRAINT "RiskAcceptance_expiry_bounded"
  CHECK ("expiresAt" <= "createdAt" + interval '366 days');

-- The audit log is append-only: the database itself refuses to change or remove an entry.
CREATE FUNCTION bulwark_audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'AuditLog is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER "AuditLog_append_only"
  BEFORE UPDATE OR DELETE ON "AuditLog"
  FOR EACH ROW EXECUTE FUNCTION bulwark_audit_log_is_append_only();
CREATE TRIGGER "AuditLog_no_truncate"
  BEFORE TRUNCATE ON "AuditLog"
  FOR EACH STATEMENT EXECUTE FUNCTION bulwark_audit_log_is_append_only();

-- The findings list searches resource and control names by substring.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX "Finding_search_trgm" ON "Finding" USING gin (("resourceName" || ' ' || "controlId") gin_trgm_ops);
