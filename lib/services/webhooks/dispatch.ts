import { systemContext, type OrgContext } from '../../platform/auth/context';
import { dbFor, systemDb, type TenantTx } from '../../platform/db/tenant';
import { env } from '../../platform/env';
import { logger } from '../../platform/log';
import { enqueueWebhookDelivery } from '../../platform/queue/producers';
import { notifyForDomainEvent } from '../notifications/event-notifications';
import { noteFindingChangeOnTickets, openTicketForCriticalFinding } from '../tickets/ticket-reactions';
import type { WebhookPayload } from './payload';
import { ticketPath, findingPath, resourceLabel } from '@/lib/platform/app-links';

const log = logger.child({ component: 'dispatch-events' });

/** Side effects inside the product: ticket timeline notes, automatic tickets, in-app notifications. */
async function react(tx: TenantTx, ctx: OrgContext, type: string, data: Record<string, unknown>): Promise<void> {
  const findingId = typeof data.findingId === 'string' ? data.findingId : null;
  if (type === 'finding.resolved' && findingId) await noteFindingChangeOnTickets(tx, ctx.organizationId, findingId, 'finding_resolved');
  if (type === 'finding.reopened' && findingId) await noteFindingChangeOnTickets(tx, ctx.organizationId, findingId, 'finding_reopened');
  if (type === 'finding.opened' && findingId && data.severity === 'CRITICAL') await openTicketForCriticalFinding(tx, ctx, findingId);
  await notifyForDomainEvent(tx, { id: ctx.organizationId, slug: ctx.organizationSlug }, type, data);
}

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
 * Claims one event and creates everything it causes in one transaction: the claim (dispatchedAt), ticket notes,
 * notifications and one WebhookDelivery per enabled, subscribed webhook. A second dispatcher running at the
 * same time blocks on the claimed row, then finds it dispatched and does nothing. Returns the deliveries to queue.
 */
async function dispatchEvent(ctx: OrgContext, eventId: string): Promise<string[]> {
  return dbFor(ctx).$transaction(async (tx) => {
    const claimed = await tx.domainEvent.updateMany({ where: { id: eventId, dispatchedAt: null }, data: { dispatchedAt: new Date() } });
    if (claimed.count === 0) return [];
    const event = await tx.domainEvent.findUniqueOrThrow({ where: { id: eventId } });
    const data = (event.data ?? {}) as Record<string, unknown>;
    await react(tx, ctx, event.type, data);
    const webhooks = await tx.webhook.findMany({ where: { enabled: true, events: { has: event.type } }, select: { id: true } });
    if (webhooks.length === 0) return [];
    const payload: WebhookPayload = {
      id: event.id, type: event.type, occurredAt: event.createdAt.toISOString(), organization: { slug: ctx.organizationSlug },
      data: await describe(tx, ctx.organizationSlug, data),
    };
    const deliveries = await tx.webhookDelivery.createManyAndReturn({
      data: webhooks.map((webhook) => ({ organizationId: ctx.organizationId, webhookId: webhook.id, eventType: event.type, payload: payload as object })),
      select: { id: true },
    });
    return deliveries.map((delivery) => delivery.id);
  }, { timeout: 30_000 });
}

async function enqueueAll(organizationId: string, deliveryIds: readonly string[]): Promise<void> {
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
 * Reads undispatched domain events, oldest first, across organizations, and dispatches each in its own
 * organization's scope. An event whose side effects fail stays undispatched and is tried again next run.
 */
export async function dispatchDomainEvents(limit = 200): Promise<number> {
  // Cross-tenant by design: the outbox is one table; each event is then handled through dbFor(its org).
  const events = await systemDb().domainEvent.findMany({
    where: { dispatchedAt: null }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], take: limit, select: { id: true, organizationId: true },
  });
  if (events.length === 0) return 0;
  const orgs = await systemDb().organization.findMany({ where: { id: { in: [...new Set(events.map((event) => event.organizationId))] } }, select: { id: true, slug: true } });
  const slugs = new Map(orgs.map((org) => [org.id, org.slug]));
  let dispatched = 0;
  for (const event of events) {
    const ctx = systemContext(event.organizationId, 'dispatch-events', slugs.get(event.organizationId) ?? '');
    try {
      const deliveryIds = await dispatchEvent(ctx, event.id);
      dispatched += 1;
      await enqueueAll(event.organizationId, deliveryIds);
    } catch (error) {
      log.error({ organizationId: event.organizationId, eventId: event.id, err: error instanceof Error ? error.message : String(error) }, 'dispatching a domain event failed; it will be retried');
    }
  }
  return dispatched;
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
