import type { WebhookFormat } from '../../platform/db/client';
import type { DomainEventType } from '../events/types';

/** What a JSON webhook receives (and what a delivery stores, to resend the same body on retry). Ids and labels only. */
export type WebhookPayload = {
  id: string;
  type: string;
  occurredAt: string;
  organization: { slug: string };
  data: Record<string, unknown>;
};

type Summary = Record<string, unknown> | undefined;

function text(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

/** Slack treats &, < and > as control characters in mrkdwn; everything we interpolate is escaped. */
function escapeSlack(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function headline(payload: WebhookPayload): string {
  const finding = payload.data.finding as Summary;
  const ticket = payload.data.ticket as Summary;
  const cluster = payload.data.cluster as Summary;
  const about = finding
    ? `${text(finding.severity)} ${text(finding.controlId)} on ${text(finding.resource)}${finding.clusterName ? ` (${text(finding.clusterName)})` : ''}`
    : ticket
      ? `#${text(ticket.number)} ${text(ticket.title)} [${text(ticket.severity)}, ${text(ticket.status)}]`
      : cluster ? `cluster ${text(cluster.name)}` : '';
  const label: Record<string, string> = {
    'finding.opened': 'New finding', 'finding.resolved': 'Finding resolved', 'finding.reopened': 'Finding reopened',
    'risk.requested': 'Risk acceptance requested', 'risk.approved': 'Risk acceptance approved', 'risk.rejected': 'Risk acceptance rejected',
    'exception.requested': 'Exception requested', 'exception.approved': 'Exception approved', 'exception.rejected': 'Exception rejected',
    'risk.expired': 'Risk acceptance expired', 'risk.revoked': 'Risk acceptance revoked',
    'ticket.created': 'Ticket opened', 'ticket.updated': 'Ticket updated',
    'cluster.stale': 'Agent stopped reporting', 'cluster.baseline': 'First evaluation of a cluster', 'evaluation.failed': 'Evaluation failed', 'evaluation.completed': 'Snapshot evaluated',
    'webhook.test': 'Test delivery from Bulwark',
  } satisfies Record<DomainEventType | 'webhook.test', string>;
  return `${label[payload.type] ?? payload.type}${about ? `: ${about}` : ''}`;
}

/** A Slack-compatible incoming-webhook body: `text` for notifications, `blocks` for the message. */
export function slackMessage(payload: WebhookPayload): { text: string; blocks: unknown[] } {
  const line = escapeSlack(headline(payload));
  const url = text((payload.data.finding as Summary)?.url ?? (payload.data.ticket as Summary)?.url);
  return {
    text: `[Bulwark] ${line}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: url ? `*${line}*\n<${escapeSlack(url)}|Open in Bulwark>` : `*${line}*` } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: escapeSlack(`${payload.organization.slug} · ${payload.type} · ${payload.occurredAt}`) }] },
    ],
  };
}

/** The exact bytes that are signed and sent. */
export function renderWebhookBody(format: WebhookFormat, payload: WebhookPayload): string {
  return JSON.stringify(format === 'SLACK' ? slackMessage(payload) : payload);
}
