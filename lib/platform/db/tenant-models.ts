/** Every model that belongs to one organization. A test compares this list with schema.prisma. */
export const TENANT_MODELS = new Set<string>([
  'Membership', 'Invitation', 'IdpGroupMapping', 'SsoConnection', 'VerifiedDomain', 'Team', 'TeamMember', 'ApiToken',
  'Cluster', 'ClusterInstallLink', 'AgentToken', 'Snapshot', 'EvaluationRun', 'NodeReport',
  'Finding', 'FindingTally', 'FindingEvent', 'Comment', 'RiskAcceptance', 'FindingException',
  'Ticket', 'TicketFinding', 'TicketEvent', 'SavedFindingView',
  'ScorePoint', 'ScoreDaily', 'Report', 'AuditLog', 'DomainEvent', 'Notification', 'Webhook', 'WebhookDelivery',
  'SoaEntry', 'SoaVersion',
  'EvidenceItem', 'EvidenceBlob', 'EvidenceRequest', 'EvidenceRequestComment',
  'JiraConnection', 'JiraLink',
  'ReportSchedule', 'ReportExternalRecipient',
  'MailMessage', 'MailOptOut',
  'DigestSetting', 'DigestRun',
  'AccessReviewCampaign', 'AccessReviewItem',
  'AccessPermissionSet', 'AccessRole', 'AccessAggregation', 'AccessRule', 'AccessBinding', 'AccessSnapshot',
  'CustomControl', 'CustomControlVersion', 'OrgFramework', 'OrgRequirement',
]);

/** Models with no tenant: catalog data shared by everyone, and people (who belong to orgs via Membership). */
export const GLOBAL_MODELS = new Set<string>(['Organization', 'User', 'UserIdentity', 'IdentityLinkIntent', 'Framework', 'Requirement', 'Control', 'ControlRequirement']);
