import type { TenantTx } from '../../platform/db/tenant';
import type { DomainEventInput } from './types';

export type { DomainEventInput, DomainEventType } from './types';

/**
 * The one place state changes are announced. Rows are written in the transaction that makes the change, so
 * an event exists exactly when its change does; events/dispatch.ts reads them from here and runs their
 * reactions (events/reactions.ts).
 */
export async function emitDomainEvents(tx: TenantTx, organizationId: string, events: DomainEventInput[]): Promise<void> {
  if (events.length === 0) return;
  await tx.domainEvent.createMany({ data: events.map((event) => ({ organizationId, type: event.type, data: event.data as object })) });
}
