import type { WebhookFormat } from '@/lib/platform/db/client';

/** How the settings page names the events a webhook can subscribe to. */
export const EVENT_LABELS: Record<string, string> = {
  'finding.opened': 'Finding opened', 'finding.resolved': 'Finding resolved', 'finding.reopened': 'Finding reopened',
  'risk.requested': 'Risk acceptance requested', 'risk.approved': 'Risk acceptance approved', 'risk.rejected': 'Risk acceptance rejected',
  'risk.expired': 'Risk acceptance expired', 'risk.revoked': 'Risk acceptance revoked',
  'exception.requested': 'Exception requested', 'exception.approved': 'Exception approved', 'exception.rejected': 'Exception rejected',
  'ticket.created': 'Ticket opened', 'ticket.updated': 'Ticket updated',
  'cluster.stale': 'Agent stopped reporting', 'cluster.baseline': 'First evaluation of a cluster', 'evaluation.failed': 'Evaluation failed',
  'webhook.test': 'Test delivery',
};

export const FORMAT_LABELS: Record<WebhookFormat, string> = { JSON: 'JSON (signed, Standard Webhooks)', SLACK: 'Slack incoming webhook' };
