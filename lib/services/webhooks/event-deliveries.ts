import type { OrgContext } from '../../platform/auth/context';
import { systemDb, type TenantTx } from '../../platform/db/tenant';
import { env } from '../../platform/env';
import { logger } from '../../platform/log';
import { enqueueWebhookDelivery } from '../../platform/queue/producers';
import type { WebhookPayload } from './payload';
import { ticketPath, findingPath, resourceLabel } from '@/lib/platform/app-links';

const log = logger.child({ component: 'dispatch-events' });

/** A domain event as the dispatcher hands it over (the DomainEvent row, claimed, in its organization's transaction). */
export type EventForDelivery = { id: string; type: string; createdAt: Date; data: Record<string, unknown> };

/**
 * The event's data with human-readable summaries of what it is about (finding, ticket, cluster) and links
 * into the app. Never evidence, snapshot bodies or secrets: receivers get ids and labels.
 */
async function describe(tx: TenantTx, slug: string, data: Record<string, unknown>): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = { ...data };
  const appUrl = env().APP_URL.replace(/\/$/, '');
  if (typeof data.findingId === 'string') {
    const finding = await tx.finding.findUnique({
      where: { id: data.findingId },
      select: { id: true, controlId: true, severity: true, status: true, resolutionReason: true, resourceKind: true, resourceNamespace: true, resourceName: true, message: true, cluster: { select: { name: true } } },
    });
    if (finding) {
      out.finding = {
        id: finding.id, controlId: finding.controlId, severity: finding.severity, status: finding.status, resolutionReason: finding.resolutionReason,
        resource: resourceLabel(finding), message: finding.message, clusterName: finding.cluster.name, url: `${appUrl}${findingPath(slug, finding.id)}`,
      };
    }
  }
  if (typeof data.ticketId === 'string') {
    const ticket = await tx.ticket.findUnique({ where: { id: data.ticketId }, select: { id: true, number: true, title: true, severity: true, status: true } });
    if (ticket) out.ticket = { ...ticket, url: `${appUrl}${ticketPath(slug, ticket.number)}` };
  }
  if (typeof data.clusterId === 'string' && !out.finding) {
    const cluster = await tx.cluster.findUnique({ where: { id: data.clusterId }, select: { id: true, name: true } });
    if (cluster) out.cluster = cluster;
  }
  return out;
}

/**
 * One WebhookDelivery row per enabled webhook subscribed to the event's type, in the caller's transaction,
 * each carrying the same described payload. Returns the delivery ids, to queue once the transaction commits.
 */
export async function createEventDeliveries(tx: TenantTx, ctx: OrgContext, event: EventForDelivery): Promise<string[]> {
  const webhooks = await tx.webhook.findMany({ where: { enabled: true, events: { has: event.type } }, select: { id: true } });
  if (webhooks.length === 0) return [];
  const payload: WebhookPayload = {
    id: event.id, type: event.type, occurredAt: event.createdAt.toISOString(), organization: { slug: ctx.organizationSlug },
    data: await describe(tx, ctx.organizationSlug, event.data),
  };
  const deliveries = await tx.webhookDelivery.createManyAndReturn({
    data: webhooks.map((webhook) => ({ organizationId: ctx.organizationId, webhookId: webhook.id, eventType: event.type, payload: payload as object })),
    select: { id: true },
  });
  return deliveries.map((delivery) => delivery.id);
}

/** Puts committed deliveries on the queue; if Redis is down the rows wait for requeueStrandedDeliveries. */
export async function queueDeliveries(organizationId: string, deliveryIds: readonly string[]): Promise<void> {
  for (const deliveryId of deliveryIds) {
    try {
      await enqueueWebhookDelivery({ organizationId, deliveryId });
    } catch (error) {
      // The row is PENDING in the database; requeueStrandedDeliveries picks it up once Redis is back.
      log.warn({ organizationId, deliveryId, err: String(error) }, 'could not queue a webhook delivery yet');
      return;
    }
  }
}

/**
 * Deliveries written while Redis was down never got a job. Queue the ones that are still untried after a
 * minute (the delivery id is the job id, so a delivery already queued is not added twice). Reads through the
 * (organizationId, webhookId, createdAt) index, one range per enabled webhook, over the last day.
 */
export async function requeueStrandedDeliveries(now: Date = new Date()): Promise<number> {
  const webhooks = await systemDb().webhook.findMany({ where: { enabled: true }, select: { id: true, organizationId: true } });
  if (webhooks.length === 0) return 0;
  const stranded = await systemDb().webhookDelivery.findMany({
    where: {
      OR: webhooks.map((webhook) => ({ organizationId: webhook.organizationId, webhookId: webhook.id })),
      createdAt: { gt: new Date(now.getTime() - 86_400_000), lt: new Date(now.getTime() - 60_000) },
      status: 'PENDING',
      attempts: 0,
    },
    take: 500,
    select: { id: true, organizationId: true },
  });
  let queued = 0;
  for (const delivery of stranded) {
    try {
      await enqueueWebhookDelivery({ organizationId: delivery.organizationId, deliveryId: delivery.id });
      queued += 1;
    } catch {
      break; // still down
    }
  }
  return queued;
}
