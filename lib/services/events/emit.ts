import type { TenantTx } from '../../platform/db/tenant';

export type DomainEventType =
  | 'finding.opened' | 'finding.resolved' | 'finding.reopened'
  | 'risk.requested' | 'risk.approved' | 'risk.rejected' | 'risk.expired' | 'risk.revoked'
  | 'exception.requested' | 'exception.approved' | 'exception.rejected'
  | 'ticket.created' | 'ticket.updated'
  | 'cluster.stale' | 'cluster.baseline' | 'evaluation.failed';

export type DomainEventInput = { type: DomainEventType; data: Record<string, unknown> };

/**
 * The one place state changes are announced. Rows are written in the transaction that makes the change, so
 * an event exists exactly when its change does; webhooks and notifications read them from here.
 */
export async function emitDomainEvents(tx: TenantTx, organizationId: string, events: DomainEventInput[]): Promise<void> {
  if (events.length === 0) return;
  await tx.domainEvent.createMany({ data: events.map((event) => ({ organizationId, type: event.type, data: event.data as object })) });
}
