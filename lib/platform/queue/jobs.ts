import { z } from 'zod';

/** Queue names and job payloads. Payloads carry ids, never snapshot bodies or secrets (Redis keeps them in clear). */
export const QUEUES = {
  evaluation: 'evaluation',
  maintenance: 'maintenance',
  reports: 'reports',
  webhooks: 'webhooks',
  mail: 'mail',
  /** Per-organization digest runs (lib/services/digests), taking turns by organization. */
  digests: 'digests',
  /** Per-organization Jira status polls (lib/services/jira/sync.ts): a slow Jira holds up only its own organization. */
  jira: 'jira',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export const JOBS = {
  evaluateSnapshot: 'evaluate-snapshot',
  sweepOutbox: 'sweep-outbox',
  expireRiskAcceptances: 'expire-risk-acceptances',
  markStaleClusters: 'mark-stale-clusters',
  pruneSnapshots: 'prune-snapshots',
  compactFindingTallies: 'compact-finding-tallies',
  anchorAuditChains: 'anchor-audit-chains',
  remindExpiringEvidence: 'remind-expiring-evidence',
  runReportSchedules: 'run-report-schedules',
  pollJira: 'poll-jira',
  pollJiraOrg: 'poll-jira-org',
  generateReport: 'generate-report',
  deliverWebhook: 'deliver-webhook',
  dispatchEvents: 'dispatch-events',
  deliverMail: 'deliver-mail',
  remindExpiringRiskAcceptances: 'remind-expiring-risk-acceptances',
  sweepQueuedMail: 'sweep-queued-mail',
  accessReviews: 'access-reviews',
  sendDigests: 'send-digests',
  sendOrgDigests: 'send-org-digests',
} as const;

export const EvaluateSnapshotJobSchema = z.object({ organizationId: z.uuid(), snapshotId: z.uuid() }).strict();
export type EvaluateSnapshotJob = z.infer<typeof EvaluateSnapshotJobSchema>;

export const MaintenanceJobSchema = z.object({}).strict();

export const GenerateReportJobSchema = z.object({ organizationId: z.uuid(), reportId: z.uuid() }).strict();
export type GenerateReportJob = z.infer<typeof GenerateReportJobSchema>;

export const DeliverWebhookJobSchema = z.object({ organizationId: z.uuid(), deliveryId: z.uuid() }).strict();
export type DeliverWebhookJob = z.infer<typeof DeliverWebhookJobSchema>;

export const DeliverMailJobSchema = z.object({ organizationId: z.uuid(), messageId: z.uuid() }).strict();
export type DeliverMailJob = z.infer<typeof DeliverMailJobSchema>;

export const OrgDigestsJobSchema = z.object({ organizationId: z.uuid() }).strict();
export type OrgDigestsJob = z.infer<typeof OrgDigestsJobSchema>;

export const PollJiraOrgJobSchema = z.object({ organizationId: z.uuid() }).strict();
export type PollJiraOrgJob = z.infer<typeof PollJiraOrgJobSchema>;
