import { z } from 'zod';
import { DOMAIN_EVENT_TYPES, type DomainEventType } from '../events/types';
import { WEBHOOK_TEST_EVENT } from './schemas';

// What a JSON webhook receives, per event type: the envelope (./payload.ts WebhookPayload) with the event's data
// as emitted (events/emit callers) plus the summaries event-deliveries.ts adds. Published as JSON Schema in the
// OpenAPI document (lib/services/api). Objects stay open: a later version may add fields, never remove them.

const id = z.uuid();
const FindingSummary = z.looseObject({
  id, controlId: z.string(), severity: z.enum(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFO']), status: z.string(), resolutionReason: z.string().nullable(),
  resource: z.string().describe('Kind namespace/name'), message: z.string(), clusterName: z.string(), url: z.url().describe('The finding in Bulwark'),
}).describe('The finding the event is about (absent when it no longer exists)');
const TicketSummary = z.looseObject({ id, number: z.int(), title: z.string(), severity: z.string(), status: z.string(), url: z.url() }).describe('The ticket the event is about');
const ClusterSummary = z.looseObject({ id, name: z.string() }).describe('The cluster the event is about');

const onFinding = { findingId: id, finding: FindingSummary.optional() };
const onTicket = { ticketId: id, number: z.int(), ticket: TicketSummary.optional() };
const onCluster = { clusterId: id, cluster: ClusterSummary.optional() };
const isoDate = z.iso.datetime();

export const WEBHOOK_EVENT_DATA = {
  'finding.opened': z.looseObject({ ...onFinding, clusterId: id, controlId: z.string(), severity: z.string() }),
  'finding.resolved': z.looseObject({ ...onFinding, clusterId: id, severity: z.string(), reason: z.literal('FALSE_POSITIVE').optional().describe('Set when resolved as a false positive, not by a snapshot') }),
  'finding.reopened': z.looseObject({ ...onFinding, clusterId: id, severity: z.string() }),
  'risk.requested': z.looseObject({ ...onFinding, riskAcceptanceId: id, requestedById: id, expiresAt: isoDate }),
  'risk.approved': z.looseObject({ ...onFinding, riskAcceptanceId: id, requestedById: id, decidedById: id, expiresAt: isoDate }),
  'risk.rejected': z.looseObject({ ...onFinding, riskAcceptanceId: id, requestedById: id, decidedById: id }),
  'risk.expired': z.looseObject({ ...onFinding, riskAcceptanceId: id }),
  'risk.revoked': z.looseObject({ ...onFinding, riskAcceptanceId: id, requestedById: id, revokedById: id }),
  'exception.requested': z.looseObject({ ...onFinding, exceptionId: id, requestedById: id, scope: z.string(), expiresAt: isoDate }),
  'exception.approved': z.looseObject({ ...onFinding, findingId: id.nullable(), exceptionId: id, requestedById: id, decidedById: id, scope: z.string() }),
  'exception.rejected': z.looseObject({ ...onFinding, findingId: id.nullable(), exceptionId: id, requestedById: id, decidedById: id, scope: z.string() }),
  'ticket.created': z.looseObject({ ...onTicket, severity: z.string(), findingIds: z.array(id) }),
  'ticket.updated': z.looseObject({ ...onTicket, changes: z.array(z.string()), status: z.string().optional(), findingIds: z.array(id).optional() }),
  'cluster.stale': z.looseObject({ ...onCluster, lastSnapshotAt: isoDate.optional() }),
  'cluster.baseline': z.looseObject({ ...onCluster, snapshotId: id, findings: z.int().describe('Findings of the first evaluation') }),
  'evaluation.failed': z.looseObject({ clusterId: id.optional(), cluster: ClusterSummary.optional() }),
  'evaluation.completed': z.looseObject({ ...onCluster, snapshotId: id, evaluationId: id }),
} satisfies Record<DomainEventType, z.ZodType>;

/** The payload of one event type: the envelope every JSON delivery shares, `type` fixed, `data` the event's. */
export function webhookPayloadSchema(type: DomainEventType | typeof WEBHOOK_TEST_EVENT) {
  const data = type === WEBHOOK_TEST_EVENT ? z.looseObject({ message: z.string() }) : WEBHOOK_EVENT_DATA[type];
  return z.object({
    id: z.uuid().describe('The event id (the same for every webhook it goes to; the webhook-id header names the delivery)'),
    type: z.literal(type),
    occurredAt: isoDate,
    organization: z.object({ slug: z.string() }),
    data,
  });
}

export const WEBHOOK_PAYLOAD_TYPES = [...DOMAIN_EVENT_TYPES, WEBHOOK_TEST_EVENT] as const;

/** A Slack incoming-webhook body as Bulwark sends it (format SLACK): `text` for notifications, `blocks` for the message. */
export const SlackMessageSchema = z.object({
  text: z.string().max(3000),
  blocks: z.array(z.union([
    z.object({ type: z.literal('section'), text: z.object({ type: z.literal('mrkdwn'), text: z.string().max(3000) }) }),
    z.object({ type: z.literal('context'), elements: z.array(z.object({ type: z.literal('mrkdwn'), text: z.string() })).max(10) }),
  ])).max(50),
});
