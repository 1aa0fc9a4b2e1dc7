import { systemContext, type OrgContext } from '../../platform/auth/context';
import { dbFor, systemDb } from '../../platform/db/tenant';
import { logger } from '../../platform/log';
import { queueDeliveries } from '../webhooks/event-deliveries';
import { queueMailDeliveries } from '../mail/send-mail';
import { react } from './reactions';

const log = logger.child({ component: 'dispatch-events' });

/**
 * Claims one event and runs its reactions (events/reactions.ts) in one transaction: the claim (dispatchedAt),
 * ticket notes, notifications and one WebhookDelivery per enabled, subscribed webhook. A second dispatcher
 * running at the same time blocks on the claimed row, then finds it dispatched and does nothing. Returns the
 * deliveries and mails to queue.
 */
async function dispatchEvent(ctx: OrgContext, eventId: string): Promise<{ deliveryIds: string[]; mailIds: string[] }> {
  return dbFor(ctx).$transaction(async (tx) => {
    const claimed = await tx.domainEvent.updateMany({ where: { id: eventId, dispatchedAt: null }, data: { dispatchedAt: new Date() } });
    if (claimed.count === 0) return { deliveryIds: [], mailIds: [] };
    const event = await tx.domainEvent.findUniqueOrThrow({ where: { id: eventId } });
    const data = (event.data ?? {}) as Record<string, unknown>;
    return react(tx, ctx, { id: event.id, type: event.type, createdAt: event.createdAt, data });
  }, { timeout: 30_000 });
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
      const { deliveryIds, mailIds } = await dispatchEvent(ctx, event.id);
      dispatched += 1;
      await queueDeliveries(event.organizationId, deliveryIds);
      await queueMailDeliveries(event.organizationId, mailIds);
    } catch (error) {
      log.error({ organizationId: event.organizationId, eventId: event.id, err: error instanceof Error ? error.message : String(error) }, 'dispatching a domain event failed; it will be retried');
    }
  }
  return dispatched;
}
