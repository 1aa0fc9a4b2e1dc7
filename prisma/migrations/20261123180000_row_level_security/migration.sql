-- Row-level security: the second wall between tenants, under the tenant-scoped Prisma client (lib/db/tenant.ts).
-- Tenant queries run as the role bulwark_tenant with `bulwark.org_id` set for their transaction; a policy on every
-- tenant-owned table lets them see and write only that organization's rows, and nothing when it is not set.
-- The paths that legitimately cross tenants (systemDb(): sign-in, token lookup by hash, sweepers, migrations,
-- seeding) run as the connecting (owner) role, which RLS does not restrict because it is not FORCEd. Written by hand.

DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'bulwark_tenant') THEN
    CREATE ROLE bulwark_tenant NOLOGIN;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL; -- another database of this server created it at the same moment
END
$$;
-- The connecting role must be able to switch to it (a superuser always can).
DO $$
BEGIN
  EXECUTE format('GRANT bulwark_tenant TO %I', current_user);
EXCEPTION WHEN OTHERS THEN
  NULL;
END
$$;
GRANT USAGE ON SCHEMA public TO bulwark_tenant;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO bulwark_tenant;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO bulwark_tenant;

CREATE FUNCTION bulwark_current_org() RETURNS uuid LANGUAGE sql STABLE AS $$
  SELECT nullif(current_setting('bulwark.org_id', true), '')::uuid
$$;

ALTER TABLE "Membership" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "Membership_tenant_isolation" ON "Membership" TO bulwark_tenant
  USING ("organizationId" = bulwark_current_org()) WITH CHECK ("organizationId" = bulwark_current_org());

ALTER TABLE "Invitation" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "Invitation_tenant_isolation" ON "Invitation" TO bulwark_tenant
  USING ("organizationId" = bulwark_current_org()) WITH CHECK ("organizationId" = bulwark_current_org());

ALTER TABLE "IdpGroupMapping" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "IdpGroupMapping_tenant_isolation" ON "IdpGroupMapping" TO bulwark_tenant
  USING ("organizationId" = bulwark_current_org()) WITH CHECK ("organizationId" = bulwark_current_org());

ALTER TABLE "Team" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "Team_tenant_isolation" ON "Team" TO bulwark_tenant
  USING ("organizationId" = bulwark_current_org()) WITH CHECK ("organizationId" = bulwark_current_org());

ALTER TABLE "TeamMember" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "TeamMember_tenant_isolation" ON "TeamMember" TO bulwark_tenant
  USING ("organizationId" = bulwark_current_org()) WITH CHECK ("organizationId" = bulwark_current_org());

ALTER TABLE "ApiToken" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "ApiToken_tenant_isolation" ON "ApiToken" TO bulwark_tenant
  USING ("organizationId" = bulwark_current_org()) WITH CHECK ("organizationId" = bulwark_current_org());

ALTER TABLE "Cluster" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "Cluster_tenant_isolation" ON "Cluster" TO bulwark_tenant
  USING ("organizationId" = bulwark_current_org()) WITH CHECK ("organizationId" = bulwark_current_org());

ALTER TABLE "AgentToken" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "AgentToken_tenant_isolation" ON "AgentToken" TO bulwark_tenant
  USING ("organizationId" = bulwark_current_org()) WITH CHECK ("organizationId" = bulwark_current_org());

ALTER TABLE "Snapshot" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "Snapshot_tenant_isolation" ON "Snapshot" TO bulwark_tenant
  USING ("organizationId" = bulwark_current_org()) WITH CHECK ("organizationId" = bulwark_current_org());

ALTER TABLE "EvaluationRun" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "EvaluationRun_tenant_isolation" ON "EvaluationRun" TO bulwark_tenant
  USING ("organizationId" = bulwark_current_org()) WITH CHECK ("organizationId" = bulwark_current_org());

ALTER TABLE "Finding" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "Finding_tenant_isolation" ON "Finding" TO bulwark_tenant
  USING ("organizationId" = bulwark_current_org()) WITH CHECK ("organizationId" = bulwark_current_org());

ALTER TABLE "FindingEvent" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "FindingEvent_tenant_isolation" ON "FindingEvent" TO bulwark_tenant
  USING ("organizationId" = bulwark_current_org()) WITH CHECK ("organizationId" = bulwark_current_org());

ALTER TABLE "Comment" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "Comment_tenant_isolation" ON "Comment" TO bulwark_tenant
  USING ("organizationId" = bulwark_current_org()) WITH CHECK ("organizationId" = bulwark_current_org());

ALTER TABLE "RiskAcceptance" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "RiskAcceptance_tenant_isolation" ON "RiskAcceptance" TO bulwark_tenant
  USING ("organizationId" = bulwark_current_org()) WITH CHECK ("organizationId" = bulwark_current_org());

ALTER TABLE "FindingException" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "FindingException_tenant_isolation" ON "FindingException" TO bulwark_tenant
  USING ("organizationId" = bulwark_current_org()) WITH CHECK ("organizationId" = bulwark_current_org());

ALTER TABLE "Ticket" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "Ticket_tenant_isolation" ON "Ticket" TO bulwark_tenant
  USING ("organizationId" = bulwark_current_org()) WITH CHECK ("organizationId" = bulwark_current_org());

ALTER TABLE "TicketFinding" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "TicketFinding_tenant_isolation" ON "TicketFinding" TO bulwark_tenant
  USING ("organizationId" = bulwark_current_org()) WITH CHECK ("organizationId" = bulwark_current_org());

ALTER TABLE "TicketEvent" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "TicketEvent_tenant_isolation" ON "TicketEvent" TO bulwark_tenant
  USING ("organizationId" = bulwark_current_org()) WITH CHECK ("organizationId" = bulwark_current_org());

ALTER TABLE "ScorePoint" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "ScorePoint_tenant_isolation" ON "ScorePoint" TO bulwark_tenant
  USING ("organizationId" = bulwark_current_org()) WITH CHECK ("organizationId" = bulwark_current_org());

ALTER TABLE "ScoreDaily" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "ScoreDaily_tenant_isolation" ON "ScoreDaily" TO bulwark_tenant
  USING ("organizationId" = bulwark_current_org()) WITH CHECK ("organizationId" = bulwark_current_org());

ALTER TABLE "Report" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "Report_tenant_isolation" ON "Report" TO bulwark_tenant
  USING ("organizationId" = bulwark_current_org()) WITH CHECK ("organizationId" = bulwark_current_org());

ALTER TABLE "AuditLog" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "AuditLog_tenant_isolation" ON "AuditLog" TO bulwark_tenant
  USING ("organizationId" = bulwark_current_org()) WITH CHECK ("organizationId" = bulwark_current_org());

ALTER TABLE "DomainEvent" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "DomainEvent_tenant_isolation" ON "DomainEvent" TO bulwark_tenant
  USING ("organizationId" = bulwark_current_org()) WITH CHECK ("organizationId" = bulwark_current_org());

ALTER TABLE "Notification" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "Notification_tenant_isolation" ON "Notification" TO bulwark_tenant
  USING ("organizationId" = bulwark_current_org()) WITH CHECK ("organizationId" = bulwark_current_org());

ALTER TABLE "Webhook" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "Webhook_tenant_isolation" ON "Webhook" TO bulwark_tenant
  USING ("organizationId" = bulwark_current_org()) WITH CHECK ("organizationId" = bulwark_current_org());

ALTER TABLE "WebhookDelivery" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "WebhookDelivery_tenant_isolation" ON "WebhookDelivery" TO bulwark_tenant
  USING ("organizationId" = bulwark_current_org()) WITH CHECK ("organizationId" = bulwark_current_org());

-- The organization row itself: a tenant sees only its own.
ALTER TABLE "Organization" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "Organization_tenant_isolation" ON "Organization" TO bulwark_tenant
  USING ("id" = bulwark_current_org()) WITH CHECK ("id" = bulwark_current_org());
